"""The command framework (signatures as argument schemas, converters, help) and the dispatcher:
one transaction per chat event, commands to their handlers, other events to the handlers the
features register."""
