"""Departments (Fachbereiche, Ämter): codes such as ``FB 61``, names, rooms, and how a
department is named in texts."""
