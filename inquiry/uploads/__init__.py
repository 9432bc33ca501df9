"""Upload grants: who may send which file through the upload page, kept for the web face."""
