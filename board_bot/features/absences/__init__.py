"""Absences (vacation, illness, business trips): recorded, ended early, cancelled."""
