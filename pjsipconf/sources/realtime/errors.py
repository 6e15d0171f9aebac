"""Why a realtime database cannot serve a table. Apart from the modules that talk to databases, so
that reading a configuration without realtime never loads SQLAlchemy (a third of a second at
every start of the command line)."""


class LocateError(Exception):
    """The database of a mapping cannot be located; the message names it and says what to do."""


class DatabaseError(Exception):
    """A realtime database cannot be used; the message names it and says why (one line)."""


class MissingTable(DatabaseError):
    """The database answered, without the table: Asterisk's lookups in it find nothing."""
