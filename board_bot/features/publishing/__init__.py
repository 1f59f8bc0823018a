"""The public portfolio site: the board's work packages as a static website with open data.

``site.render`` turns a :class:`~board_bot.features.publishing.site.Portfolio` (what the public
may see, and nothing else) into the files of the site: an overview, one page per Leitlinie of the
Smart City Charta, ``portfolio.json`` and ``portfolio.csv`` under an open licence, and a
stylesheet. ``site.publish`` puts them online atomically; ``site.diff`` says what a new
publication changes against the one online. Pure: no database, no chat, no clock.
"""
