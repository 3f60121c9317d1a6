"""An example host web app with a log-in that signs its users' HelpMenu identity (see app.py)."""
