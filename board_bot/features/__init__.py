"""One package per feature: its rules (``service``), its texts (``messages``), its scheduled work
(``jobs``) and its reactions to chat events that are not commands (``events``). A feature uses
``board_bot.core`` and other features' services; it never imports the chat layer, the scheduler,
Matrix or the commands."""
