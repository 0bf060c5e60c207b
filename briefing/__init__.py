"""The briefing: a static site generator for a curated news briefing."""
