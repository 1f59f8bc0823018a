"""``python -m board_bot``: the same as the ``board-bot`` command."""

from board_bot.cli import main

raise SystemExit(main())
