"""The web: ``stretch serve``'s local app (server.py, the playground's page and editor) and
the player page's static files."""
