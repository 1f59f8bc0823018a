"""The city council: the board's decisions linked to the council's papers (Vorlagen), read from
the city's council information system through its OParl interface (:mod:`.oparl`)."""
