{#-
    Raw salesforce rows that cannot be used. Fix them at the source: the next sync
    replaces them and they leave quarantine by themselves.
-#}

{{ quarantine_rows('salesforce') }}
