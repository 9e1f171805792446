"""Newsflow service: settings, logging, the Faust app, the CLI and web endpoints."""
