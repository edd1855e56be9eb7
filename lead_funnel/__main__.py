from lead_funnel.cli import main

raise SystemExit(main())
