"""Demo data for `manage.py load_demo`, one module per app: directory.py
(sample programs), content.py (articles, with content_articles.py), portal.py
(the demo center account) and guide.py (the care guide, with guide_content.py)."""
