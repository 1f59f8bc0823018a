"""Boards: one per Matrix room, with language, time zone, Bundesland and where summaries go."""
