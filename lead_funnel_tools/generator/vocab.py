"""The vocabulary the generator writes: picklist texts, names, titles, pages, forms.

Everything here mirrors the seeds in ``seeds/*.csv`` (the tests check that every value the
generator means to be mapped is mapped by the seeds, and that the fit points equal
``icp_fit_points.csv``); the few values no seed maps are the deliberate bad input.
Lists are tuples so a code (an index) always means the same text.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- lead statuses
STATUSES = (
    "Open - Not Contacted",  # 0
    "Working - Contacted",  # 1
    "Nurture",  # 2
    "MQL",  # 3
    "Sales Accepted",  # 4
    "Rejected",  # 5
    "Recycled",  # 6
    "Sales Qualified",  # 7
    "Disqualified",  # 8
    "Converted",  # 9
    "Marketing Qualified - Legacy",  # 10: bad input, mapped by no seed
)
S_OPEN, S_WORKING, S_NURTURE, S_MQL, S_SAL, S_REJECTED = 0, 1, 2, 3, 4, 5
S_RECYCLED, S_SQL, S_DISQUALIFIED, S_CONVERTED, S_LEGACY = 6, 7, 8, 9, 10
MAPPED_STATUSES = STATUSES[:10]

# --------------------------------------------------------------------------- channels
CHANNELS = (
    "organic_search",  # 0
    "paid_search",  # 1
    "paid_social",  # 2
    "content_syndication",  # 3
    "webinar",  # 4
    "events",  # 5
    "email",  # 6
    "partner",  # 7
    "referral",  # 8
    "direct_demo_request",  # 9
    "outbound",  # 10
    "other",  # 11: unmapped lead sources (bad input)
)
C_ORGANIC, C_PAID_SEARCH, C_PAID_SOCIAL, C_SYNDICATION, C_WEBINAR, C_EVENTS = 0, 1, 2, 3, 4, 5
C_EMAIL, C_PARTNER, C_REFERRAL, C_DEMO, C_OUTBOUND, C_OTHER = 6, 7, 8, 9, 10, 11

# lead_source picklist texts: (text, channel code); the seed channel_map maps all but "other"
LEAD_SOURCES = (
    ("Organic Search", C_ORGANIC),  # 0
    ("Paid Search", C_PAID_SEARCH),  # 1
    ("LinkedIn Ads", C_PAID_SOCIAL),  # 2
    ("Paid Social", C_PAID_SOCIAL),  # 3
    ("Content Syndication", C_SYNDICATION),  # 4
    ("Webinar", C_WEBINAR),  # 5
    ("Trade Show", C_EVENTS),  # 6
    ("Event", C_EVENTS),  # 7
    ("Email", C_EMAIL),  # 8
    ("Partner Referral", C_PARTNER),  # 9
    ("Partner", C_PARTNER),  # 10
    ("Customer Referral", C_REFERRAL),  # 11
    ("Referral", C_REFERRAL),  # 12
    ("Website Demo Request", C_DEMO),  # 13
    ("Outbound Prospecting", C_OUTBOUND),  # 14
    ("Outbound", C_OUTBOUND),  # 15
    ("Podcast", C_OTHER),  # 16: bad input
    ("Review Site", C_OTHER),  # 17: bad input
)
LEAD_SOURCE_TEXTS = tuple(text for text, _ in LEAD_SOURCES)
UNMAPPED_LEAD_SOURCES = ("Podcast", "Review Site")

# --------------------------------------------------------------------------- rejection reasons
REASONS = (
    "Wrong company size",  # 0
    "Wrong persona",  # 1
    "Not currently evaluating",  # 2
    "Already in pipeline",  # 3
    "No business fit",  # 4
    "Invalid contact data",  # 5
    "Student or consultant",  # 6
    "Competitor",  # 7
    "Duplicate",  # 8
    "Outside territory",  # 9
    "No response",  # 10
    "Existing customer",  # 11
)
R_SIZE, R_PERSONA, R_NOT_EVALUATING, R_IN_PIPELINE, R_NO_FIT, R_INVALID = 0, 1, 2, 3, 4, 5
R_STUDENT, R_COMPETITOR, R_DUPLICATE, R_TERRITORY, R_NO_RESPONSE, R_CUSTOMER = (
    6,
    7,
    8,
    9,
    10,
    11,
)

# --------------------------------------------------------------------------- Marketo forms
FAST_LANE_FORMS = ("Demo Request", "Contact Sales", "Pricing Inquiry")
FORMS = (
    "Demo Request",  # 0
    "Contact Sales",  # 1
    "Pricing Inquiry",  # 2
    "Ebook Download",  # 3
    "Whitepaper Download",  # 4
    "Webinar Registration",  # 5
    "Newsletter Signup",  # 6
    "Checklist Download",  # 7
)
F_DEMO, F_CONTACT, F_PRICING, F_EBOOK, F_WHITEPAPER, F_WEBINAR, F_NEWSLETTER, F_CHECKLIST = range(8)
FORM_PAGE = (19, 20, 10, 26, 27, 0, 0, 28)  # page index (PAGES) each form sits on

# --------------------------------------------------------------------------- web pages
SITE = "https://www.example-saas.com"
# (path, kind) kinds: 0 generic, 1 blog, 2 pricing, 3 comparison, 4 roi, 5 case study, 6 careers
PAGES = (
    ("/", 0),  # 0
    ("/product", 0),  # 1
    ("/product/lead-scoring", 0),  # 2
    ("/product/routing", 0),  # 3
    ("/integrations/salesforce", 0),  # 4
    ("/integrations/marketo", 0),  # 5
    ("/about", 0),  # 6
    ("/careers", 6),  # 7
    ("/docs/getting-started", 0),  # 8
    ("/security", 0),  # 9
    ("/pricing", 2),  # 10
    ("/compare/rivalfunnel-alternative", 3),  # 11
    ("/vs-pipelinepro", 3),  # 12
    ("/vs-leadlens", 3),  # 13
    ("/roi-calculator", 4),  # 14
    ("/customers/northwind-traders", 5),  # 15
    ("/customers/globex", 5),  # 16
    ("/customers/initech", 5),  # 17
    ("/case-studies/umbrella-health", 5),  # 18
    ("/demo", 0),  # 19
    ("/contact-sales", 0),  # 20
    ("/blog/mql-vs-sql", 1),  # 21
    ("/blog/lead-scoring-guide", 1),  # 22
    ("/blog/sales-handoff-sla", 1),  # 23
    ("/blog/b2b-funnel-benchmarks", 1),  # 24
    ("/blog/intent-data-101", 1),  # 25
    ("/resources/ebooks/revops-playbook", 0),  # 26
    ("/resources/whitepapers/attribution", 0),  # 27
    ("/resources/checklists/lead-routing", 0),  # 28
    ("/blog/marketing-ops-career", 1),  # 29
    ("/blog/webinar-recap", 1),  # 30
    ("/blog/abm-basics", 1),  # 31
)
PAGE_GENERIC, PAGE_BLOG, PAGE_PRICING, PAGE_COMPARE, PAGE_ROI, PAGE_CASE, PAGE_CAREERS = range(7)
PRICING_PAGE = 10
COMPARE_PAGES = (11, 12, 13)
ROI_PAGE = 14
CASE_PAGES = (15, 16, 17, 18)
BLOG_PAGES = (21, 22, 23, 24, 25, 29, 30, 31)
GENERIC_PAGES = (0, 1, 2, 3, 4, 5, 6, 8, 9)

REFERRERS = (
    "",
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://www.linkedin.com/",
    "https://duckduckgo.com/",
    "https://www.example-saas.com/",
    "https://www.g2.com/",
)
SEARCH_ENGINES = ("", "Google", "Bing", "", "DuckDuckGo", "", "")
SEARCH_QUERIES = (
    "",
    "lead scoring software",
    "mql to sql conversion",
    "sales handoff sla",
    "rivalfunnel alternative",
    "b2b funnel benchmarks",
)
QUERY_PARAMETERS = (
    "",
    "utm_source=google&utm_medium=cpc",
    "utm_source=linkedin&utm_medium=paid_social",
    "utm_source=newsletter&utm_medium=email",
    "utm_source=partner&utm_medium=referral",
    "",
)
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
)
DEVICES = ("Desktop", "Desktop", "iPhone", "Android", "iPad")
DEVICE_MOBILE = (False, False, True, True, True)
EMAIL_VARIANTS = ("Newsletter", "Product Update", "Nurture - Best Practices", "Webinar Invite")

# --------------------------------------------------------------------------- activity types
ACTIVITY_TYPES = (
    (1, "Visit Webpage", "User visits a web page"),
    (2, "Fill Out Form", "User fills out and submits a form on a web page"),
    (10, "Open Email", "User opens a Marketo email"),
    (11, "Click Email", "User clicks a link in a Marketo email"),
    (32, "Merge Leads", "Merge two or more leads"),
    (37, "Delete Lead", "A lead was deleted"),
    (104, "Change Status in Progression", "Change the program status of a lead"),
)
AT_VISIT, AT_FORM, AT_OPEN, AT_CLICK, AT_MERGE, AT_DELETE, AT_PROGRESSION = (
    1,
    2,
    10,
    11,
    32,
    37,
    104,
)

# --------------------------------------------------------------------------- firmographics
# (industry, fit points, weight)
INDUSTRIES = (
    ("Software", 15, 0.22),
    ("Financial Services", 12, 0.12),
    ("Healthcare", 8, 0.10),
    ("Manufacturing", 8, 0.12),
    ("Professional Services", 6, 0.12),
    ("Retail", 4, 0.09),
    ("Education", 0, 0.07),
    ("Government", 0, 0.04),
    ("Non-Profit", 0, 0.04),
    ("Media", 0, 0.04),
    ("Telecommunications", 0, 0.04),
)
I_EDUCATION = 6
I_SOFTWARE = 0

# (band, min, max, fit points, company share)
EMPLOYEE_BANDS = (
    ("1-10", 1, 10, 0, 0.10),
    ("11-50", 11, 50, 3, 0.18),
    ("51-200", 51, 200, 12, 0.25),
    ("201-1000", 201, 1000, 20, 0.24),
    ("1001-5000", 1001, 5000, 20, 0.15),
    ("5001+", 5001, 60000, 14, 0.08),
)
# (band, min, max, fit points)
REVENUE_BANDS = (
    ("under_1m", 0.0, 999_999.99, 0),
    ("1m_10m", 1_000_000.0, 9_999_999.99, 4),
    ("10m_100m", 10_000_000.0, 99_999_999.99, 10),
    ("100m_1b", 100_000_000.0, 999_999_999.99, 12),
    ("1b_plus", 1_000_000_000.0, None, 8),
)

# (country, in service area, weight, region) regions: 0 Americas, 1 EMEA, 2 APAC
COUNTRIES = (
    ("United States", True, 0.40, 0),
    ("Canada", True, 0.06, 0),
    ("United Kingdom", True, 0.12, 1),
    ("Germany", True, 0.08, 1),
    ("France", True, 0.04, 1),
    ("Netherlands", True, 0.03, 1),
    ("Ireland", True, 0.02, 1),
    ("Australia", True, 0.05, 2),
    ("India", False, 0.06, 2),
    ("Brazil", False, 0.04, 0),
    ("Spain", False, 0.03, 1),
    ("Mexico", False, 0.02, 0),
    ("Singapore", False, 0.02, 2),
    ("South Africa", False, 0.02, 1),
    ("Japan", False, 0.01, 2),
)
SERVICE_AREA_POINTS = 10

SENIORITY_POINTS = {
    "c_level": 15,
    "vp": 15,
    "director": 12,
    "manager": 8,
    "individual_contributor": 3,
    "consultant": 0,
    "intern": 0,
    "student": 0,
}
PERSONA_POINTS = {
    "revenue_operations": 10,
    "marketing": 10,
    "sales": 8,
    "executive": 8,
    "technology": 4,
    "finance": 3,
}

# (title, seniority, persona or "", kind) kinds: 0 buyer-side, 1 student, 2 intern, 3 consultant
TITLES = (
    ("CEO", "c_level", "executive", 0),  # 0
    ("Founder", "c_level", "executive", 0),  # 1
    ("CMO", "c_level", "marketing", 0),  # 2
    ("CRO", "c_level", "sales", 0),  # 3
    ("CFO", "c_level", "finance", 0),  # 4
    ("CTO", "c_level", "technology", 0),  # 5
    ("VP Marketing", "vp", "marketing", 0),  # 6
    ("VP of Sales", "vp", "sales", 0),  # 7
    ("VP Revenue Operations", "vp", "revenue_operations", 0),  # 8
    ("VP Demand Generation", "vp", "marketing", 0),  # 9
    ("VP Engineering", "vp", "technology", 0),  # 10
    ("Director of Marketing", "director", "marketing", 0),  # 11
    ("Director of Demand Generation", "director", "marketing", 0),  # 12
    ("Head of Growth", "director", "marketing", 0),  # 13
    ("Director of Sales Operations", "director", "revenue_operations", 0),  # 14
    ("Head of RevOps", "director", "revenue_operations", 0),  # 15
    ("Director of IT", "director", "technology", 0),  # 16
    ("Sales Director", "director", "sales", 0),  # 17
    ("Finance Director", "director", "finance", 0),  # 18
    ("Marketing Manager", "manager", "marketing", 0),  # 19
    ("Demand Generation Manager", "manager", "marketing", 0),  # 20
    ("Marketing Operations Manager", "manager", "revenue_operations", 0),  # 21
    ("Sales Manager", "manager", "sales", 0),  # 22
    ("Revenue Operations Manager", "manager", "revenue_operations", 0),  # 23
    ("IT Manager", "manager", "technology", 0),  # 24
    ("Content Marketing Manager", "manager", "marketing", 0),  # 25
    ("Product Manager", "manager", "", 0),  # 26
    ("Office Manager", "manager", "", 0),  # 27
    ("HR Manager", "manager", "", 0),  # 28
    ("Marketing Specialist", "individual_contributor", "marketing", 0),  # 29
    ("Sales Development Representative", "individual_contributor", "sales", 0),  # 30
    ("Account Executive", "individual_contributor", "sales", 0),  # 31
    ("Marketing Coordinator", "individual_contributor", "marketing", 0),  # 32
    ("Data Analyst", "individual_contributor", "technology", 0),  # 33
    ("Software Engineer", "individual_contributor", "technology", 0),  # 34
    ("Business Analyst", "individual_contributor", "", 0),  # 35
    ("Accountant", "individual_contributor", "", 0),  # 36
    ("Operations Analyst", "individual_contributor", "revenue_operations", 0),  # 37
    ("Student", "student", "student", 1),  # 38
    ("Graduate Student", "student", "student", 1),  # 39
    ("Marketing Intern", "intern", "student", 2),  # 40
    ("Sales Intern", "intern", "student", 2),  # 41
    ("Intern", "intern", "student", 2),  # 42
    ("Independent Consultant", "consultant", "consultant", 3),  # 43
    ("Marketing Consultant", "consultant", "consultant", 3),  # 44
    ("Freelancer", "consultant", "consultant", 3),  # 45
    ("Advisor", "consultant", "consultant", 3),  # 46
)
STUDENT_TITLES = (38, 39)
INTERN_TITLES = (40, 41, 42)
CONSULTANT_TITLES = (43, 44, 45, 46)
BUYER_TITLES = tuple(range(38))

DEPARTMENTS = (
    "Marketing",
    "Sales",
    "Revenue Operations",
    "IT",
    "Finance",
    "Executive",
    "Operations",
)
PERSONA_DEPARTMENT = {
    "marketing": 0,
    "sales": 1,
    "revenue_operations": 2,
    "technology": 3,
    "finance": 4,
    "executive": 5,
    "": 6,
    "student": 6,
    "consultant": 6,
}

PERSONAL_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "aol.com",
    "gmx.de",
    "proton.me",
)
COMPETITOR_DOMAINS = ("rivalfunnel.com", "pipelinepro.io", "leadlens.ai")
COMPETITOR_NAMES = ("RivalFunnel", "PipelinePro", "LeadLens")
MALFORMED_EMAILS = ("jane.doe@", "no-email", "a@b", "john.smith@@example", "n/a")

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley",
    "Priya", "Arjun", "Wei", "Mei", "Hiroshi", "Yuki", "Lukas", "Anna", "Lena", "Jonas", "Sophie",
    "Oliver", "Amelia", "Noah", "Olivia", "Liam", "Emma", "Lucas", "Mia", "Mateo", "Sofia",
    "Chloe", "Ethan", "Isla", "Jack", "Grace", "Aiden", "Zoe", "Ravi", "Fatima", "Omar", "Elena",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
    "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young",
    "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
    "Mitchell", "Roberts", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
    "Wagner", "Becker", "Patel", "Sharma", "Singh", "Chen", "Wang", "Tanaka", "Sato", "Dubois",
    "Laurent", "Jansen", "de Vries", "O'Brien", "Murphy", "Kelly", "Nguyen",
)  # fmt: skip
COMPANY_WORDS_A = (
    "Blue", "North", "Summit", "Bright", "Silver", "Iron", "Granite", "Cedar", "Harbor", "Apex",
    "Vertex", "Clear", "Swift", "Stone", "Golden", "Red", "Pacific", "Atlantic", "Prairie",
    "Evergreen", "Quantum", "Nimbus", "Crimson", "Polar", "Urban", "Coastal", "Alpine", "Maple",
    "Oak", "River", "Sterling", "Falcon", "Orion", "Lumen", "Nova", "Zenith", "Echo", "Pioneer",
    "Liberty", "Metro",
)  # fmt: skip
COMPANY_WORDS_B = (
    "Analytics", "Systems", "Health", "Logistics", "Capital", "Labs", "Works", "Dynamics",
    "Networks", "Solutions", "Robotics", "Foods", "Energy", "Media", "Bank", "Insurance",
    "Software", "Cloud", "Data", "Devices", "Pharma", "Retail", "Partners", "Group", "Motors",
    "Textiles", "Studios", "Consulting", "Foundry", "Materials",
)  # fmt: skip
COMPANY_SUFFIXES = ("Inc", "LLC", "Ltd", "GmbH", "Corp", "Co", "AG", "BV", "Pty Ltd", "SA")
UNIVERSITY_NAMES = (
    "State University", "Institute of Technology", "Business School", "Community College",
    "Polytechnic", "University College",
)  # fmt: skip
PARTNER_NAMES = ("Acme Consulting", "Bridgewater Digital", "CloudNine Partners", "Delta RevOps")
TRADE_SHOWS = (
    "SaaStr Annual", "Dreamforce", "Adobe Summit", "B2B Marketing Expo", "RevOps Summit",
    "Web Summit", "MarTech Conference", "Pipeline Summit",
)  # fmt: skip
SYNDICATION_VENDORS = ("TechTarget", "Madison Logic", "NetLine", "Integrate")

# --------------------------------------------------------------------------- CRM users
ROLES = ("SDR", "AE", "Marketing", "Integration", "Sales Manager")
ROLE_SDR, ROLE_AE, ROLE_MARKETING, ROLE_INTEGRATION, ROLE_MANAGER = range(5)
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
)
TZ_REGION = (0, 0, 0, 1, 1, 2)

TASK_TYPES = ("Call", "Email", "LinkedIn")
TASK_SUBTYPES = ("Call", "Email", "Task")
TASK_SUBJECTS = (
    "Call",
    "Email: Following up",
    "LinkedIn InMail",
    "Call: Discovery",
    "Email: Demo follow-up",
    "Call: Hand-raiser follow-up",
)
CALL_DISPOSITIONS = ("Connected", "Left Voicemail", "No Answer", "Wrong Number", "Meeting Booked")
TASK_STATUSES = ("Not Started", "Completed")

OPP_STAGES = (
    ("Prospecting", 10.0, "Pipeline"),
    ("Discovery", 20.0, "Pipeline"),
    ("Proposal", 50.0, "Best Case"),
    ("Negotiation", 75.0, "Commit"),
    ("Closed Won", 100.0, "Closed"),
    ("Closed Lost", 0.0, "Omitted"),
)
ST_WON, ST_LOST = 4, 5
