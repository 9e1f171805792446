"""Newsflow's stages. Each has a plain-Python core (no Faust) and a thin agent around it."""
