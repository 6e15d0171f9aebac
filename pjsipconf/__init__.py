"""pjsipconf: the effective Asterisk PJSIP configuration, offline.

Data flows one way: sources -> conf (parse) -> model (resolve) -> check | api.
"""

__version__ = "0.1.0"
