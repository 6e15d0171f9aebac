"""pjproject's URI and header grammar as Asterisk's load path runs it (sip_parser.c, 2.17)."""

from __future__ import annotations

import pytest

from pjsipconf.schema.sip_parser import parses_as_header, parses_as_uri

URIS = {
    "sip:127.0.0.1:5090": True,
    "sip:trunk@pbx.example.com:5090;transport=tcp": True,
    "sips:pbx.example.com": True,
    "sip:user:secret@host": True,
    "sip:host?subject=hi&priority=urgent": True,
    "sip:[2001:db8::1]:5060": True,
    "<sip:pbx@host>": True,
    '"The PBX" <sip:pbx@host>': True,
    "Bare Name <sip:pbx@host>": True,
    "sip:host_1.example-2.com": True,
    "sip:host;ttl=255": True,
    "sip:host   ": True,  # blanks after the URI are skipped
    "sip:host:0": True,
    "sip:host:65535": True,
    "sip:": False,  # no host
    "sip:@host": False,  # an empty user
    "sip:user:@host": False,  # an empty password
    "sip:host:": False,  # a colon without a port
    "sip:host:5o6o": False,  # the port stops at 'o', what follows is left over
    "sip:host:65536": False,
    "sip:host;ttl=256": False,
    "sip:host;ttl=x": False,
    "sip:host;": False,  # a parameter without a name
    "sip:[]": False,
    "sip:[2001:db8::1": False,
    "sip:two words": False,
    "sip:host>": False,
    "Bare Name sip:pbx@host": False,  # a display name needs the brackets
    "<sip:pbx@host": False,
    "sip:caf\u00e9@host": False,  # user part bytes are ASCII
}


@pytest.mark.parametrize("text, parses", URIS.items(), ids=list(URIS))
def test_uri(text: str, parses: bool) -> None:
    assert parses_as_uri(text) is parses


ROUTES = {
    "sip:proxy.example.com": True,
    "sip:proxy.example.com;lr": True,
    "<sip:proxy.example.com;lr>": True,
    "<sip:a.example.com;lr>, <sip:b.example.com;lr>": True,
    '"edge" <sip:proxy;lr>;x=1': True,
    "<sip:proxy>&whatever follows": True,  # parse_hdr_end stops at '&'
    "proxy.example.com": False,  # no scheme
    "<sip:proxy> extra": False,
    "<sip:proxy>;": False,
}


@pytest.mark.parametrize("text, parses", ROUTES.items(), ids=list(ROUTES))
def test_route_header(text: str, parses: bool) -> None:
    assert parses_as_header("Route", text) is parses


CONTACTS = {
    "<sip:s@192.0.2.1:5060>": True,
    "<sip:s@192.0.2.1:5060;transport=tcp;line=abc>;+sip.instance=\"<urn:uuid:1>\"": True,
    "<sip:s@192.0.2.1:5060>;q=0.7;expires=60": True,
    "*": True,
    "<sip:two words@192.0.2.1:5060>": False,
    "<sip:a<b@192.0.2.1:5060>": False,
    "<sip:s@192.0.2.1:5060>;q=high": False,
    "<sip:s@192.0.2.1:5060>;two words": False,
}


@pytest.mark.parametrize("text, parses", CONTACTS.items(), ids=list(CONTACTS))
def test_contact_header(text: str, parses: bool) -> None:
    assert parses_as_header("Contact", text) is parses
