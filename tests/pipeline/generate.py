"""A seeded generator of realistic, messy pjsip.conf directories for whole-pipeline tests.

Every option of every type comes from the option table; values are drawn per value kind, mostly
valid, sometimes invalid (~15% of lines are a bad value or an unknown option). On top: names in
varied case, `=`/`=>`/`+=`, templates with `(!)`, multiple inheritance, `(+)` additions, includes
(also of missing files), comments, duplicate ids and references to objects that do not exist.

`generate_config(seed)` returns {relative file name: text}; `write_config(directory, files)`
writes it. The same seed always gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

from pjsipconf.schema import OptionSpec, Schema, TypeSchema, load_schema

INVALID_RATE = 0.08  # of option lines with a value that is not one of the kind's valid forms
UNKNOWN_RATE = 0.04  # of lines naming an option the type does not have
MAIN_FILE = "pjsip.conf"

WORDS = ("sales", "support", "office", "lab", "phones", "trunk", "ivr", "é-cole", "日本", "x y", "a;b")
HOSTS_V4 = ("127.0.0.1", "10.0.0.1", "192.168.1.10", "0.0.0.0", "255.255.255.255", "127.1", "0x7f.0.0.1")
HOSTS_V6 = ("::1", "::", "fe80::1", "2001:db8::10", "::ffff:10.0.0.1")
CODECS = ("ulaw", "alaw", "gsm", "g722", "g729", "opus", "h264", "vp8", "speex", "g726", "all", "t140")
NUMBERS = ("0", "1", "5", "60", "3600", "0x1F", "010", " 12 ", "99999999999999999999", "4294967295",
           "4294967296", "-1", "+7", "1.5", "")
BAD_VALUES = ("bogus", "", "-", "yes please", "\u00e9\u00e8", "0x", "999999999999999999999999", "[]", "=",
              "a=b=c", "!", "1,2,,3", "nan", "inf", "-inf", "1e400", "\t", "127.0.0.1:99999", "[::1", "*",
              "\\;escaped", "${EXTEN}", ",", ",,", "!,!", "0x-1", "--5", "1-", "-1-2", "all,!all", "/",
              "::/200", "10.0.0.0/33", "1.2.3.4/255.0.255.0", "sip:", "<sip:a@b>", "\\", "\u200b", "A=",
              "=B", "x" * 1000, "0" * 40, "yes,no", "udp,tcp", "\"", "'", "%s%n", "\u0000x")
# Section names real files (and careless ones) have: spaces, unicode, URL and path characters.
ODD_IDS = ("Dev 1", " 6001 ", "caf\u00e9", "\u65e5\u672c", "a/b", "..", ".", "../up", "a%2Fb", "a?b=c", "a#b",
           "a@b", "sip:x", "x" * 200, "A", "a", "\u00c4", "tab\there", "*", "-", "0", "00", "+1")
UNKNOWN_NAMES = ("bogus_option", "secret", "host", "qualify", "context ", "nat", "allow_guest", "port",
                 "dtmfmode", "externip", "username", "type2", "@", "\u00fcber")


def _case(rng: random.Random, name: str) -> str:
    """Option names are case-insensitive in Asterisk: vary them now and then."""
    roll = rng.random()
    if roll < 0.06:
        return name.upper()
    if roll < 0.1:
        return name.capitalize()
    return name


def _address(rng: random.Random, port: bool = False) -> str:
    if rng.random() < 0.7:
        host = rng.choice(HOSTS_V4)
        return f"{host}:{rng.choice((5060, 5061, 0, 65535))}" if port and rng.random() < 0.6 else host
    host = rng.choice(HOSTS_V6)
    return f"[{host}]:{rng.choice((5060, 5080))}" if port and rng.random() < 0.6 else host


def _acl_entry(rng: random.Random) -> str:
    forms = (
        lambda: f"{_address(rng)}/{rng.choice((0, 8, 16, 24, 32))}",
        lambda: f"{rng.choice(HOSTS_V4)}/255.255.0.0",
        lambda: f"{rng.choice(HOSTS_V6)}/{rng.choice((64, 128))}",
        lambda: f"!{_address(rng)}",
        lambda: _address(rng),
    )
    return ",".join(rng.choice(forms)() for _ in range(rng.randint(1, 3)))


def _codecs(rng: random.Random) -> str:
    items = [rng.choice(CODECS) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.2:
        items[0] = "!" + items[0]
    return rng.choice((",", ", ", "&", "|")).join(items)


def _group(rng: random.Random) -> str:
    parts = [str(rng.randint(0, 70)) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        parts.append(f"{rng.randint(0, 30)}-{rng.randint(0, 66)}")
    return ",".join(parts)


def _enum(rng: random.Random, spec: OptionSpec) -> str:
    values = list(spec.enum_values) or list(spec.params.get("values", {})) or ["yes", "no"]
    value = rng.choice(values)
    if rng.random() < 0.15:
        value = value.upper()
    if spec.kind_name in ("algorithms", "identify_by", "security_mechanisms") and rng.random() < 0.4:
        value = ",".join(rng.sample(values, min(len(values), rng.randint(1, 3))))
    return value


def _string(rng: random.Random, refs: "References") -> str:
    forms = (
        lambda: rng.choice(WORDS),
        lambda: f"{rng.choice(WORDS)}-{rng.randint(1, 999)}",
        lambda: "",
        lambda: f"sip:{rng.randint(100, 999)}@{_address(rng, port=True)}",
        lambda: f'"{rng.choice(WORDS)}" <{rng.randint(100, 999)}>',
        lambda: rng.choice(refs.any_ids()) if refs.any_ids() else "x",
        lambda: "x" * rng.randint(60, 300),
    )
    return rng.choice(forms)()


class References:
    """Ids the generator made per type, so reference options name something (or, sometimes, not)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: dict[str, list[str]] = {}

    def add(self, type_: str, id_: str) -> None:
        self.ids.setdefault(type_, []).append(id_)

    def any_ids(self) -> list[str]:
        return [id_ for ids in self.ids.values() for id_ in ids]

    def pick(self, type_: str, count: int = 1) -> str:
        """Existing ids of `type_`, one in ten a name that exists nowhere."""
        names = []
        for _ in range(count):
            known = self.ids.get(type_, [])
            if known and self.rng.random() > 0.1:
                names.append(self.rng.choice(known))
            else:
                names.append(f"missing-{type_}-{self.rng.randint(1, 99)}")
        return ",".join(names)


# Options that name other objects: the type they name and how many names they take.
REFERENCE_OPTIONS: dict[str, tuple[str, int]] = {
    "aors": ("aor", 2), "auth": ("auth", 1), "outbound_auth": ("auth", 1), "transport": ("transport", 1),
    "endpoint": ("endpoint", 1), "outbound_auth_list": ("auth", 2), "voicemail_extension": ("endpoint", 1),
}


def valid_value(rng: random.Random, spec: OptionSpec, refs: References) -> str:
    """A value the option's kind most likely accepts (numbers may still be out of range)."""
    if spec.name in REFERENCE_OPTIONS:
        type_, most = REFERENCE_OPTIONS[spec.name]
        return refs.pick(type_, rng.randint(1, most))
    makers: dict[str, Callable[[], str]] = {
        "bool": lambda: rng.choice(("yes", "no", "true", "false", "on", "off", "1", "0", "YES", "No", "t", "f")),
        "yesno": lambda: rng.choice(("yes", "no", "YES", "No", "true")),
        "YesNo": lambda: rng.choice(("yes", "no", "Yes", "NO")),
        "uint": lambda: rng.choice(NUMBERS),
        "int": lambda: rng.choice(NUMBERS + ("-100",)),
        "double": lambda: rng.choice(("3", "0.5", "1e3", "12.75", "0", "-1.5", "0x10")),
        "acl": lambda: _acl_entry(rng),
        "codec": lambda: _codecs(rng),
        "codec_prefs": lambda: rng.choice(("prefer: pending, operation: intersect", "operation: union",
                                           "keep: first, transcode: prevent", "prefer: configured")),
        "group": lambda: _group(rng),
        "named_groups": lambda: ",".join(rng.sample(WORDS[:6], rng.randint(1, 3))),
        "host_list": lambda: ",".join(_acl_entry(rng) if rng.random() < 0.5 else _address(rng, port=True)
                                      for _ in range(rng.randint(1, 2))),
        "bind": lambda: _address(rng, port=True),
        "media_address": lambda: _address(rng),
        "contact_uris": lambda: ",".join(f"sip:{rng.randint(100, 999)}@{_address(rng, port=True)}"
                                         for _ in range(rng.randint(1, 2))),
        "set_var": lambda: f"{rng.choice(('FOO', 'GROUP()', '__X', 'CALLERID(num)'))}={rng.choice(WORDS)}",
        "auth_list": lambda: refs.pick("auth", rng.randint(1, 2)),
        "callerid": lambda: rng.choice(('"Alice" <100>', "Bob <200>", "300", '"" <>', "<>")),
        "tos": lambda: rng.choice(("ef", "cs3", "af41", "0x18", "184", "0")),
        "file": lambda: rng.choice(("/nonexistent/cert.pem", "/etc/hostname", "")),
        "password_digest": lambda: "".join(rng.choice("0123456789abcdef") for _ in range(32)),
        "epoch": lambda: str(rng.randint(0, 2_000_000_000)),
        "dtls_rekey": lambda: rng.choice(("0", "60", "3600")),
        "word_list": lambda: "message",
        "list_item": lambda: ",".join(rng.sample(WORDS[:6], 2)),
        "string_list": lambda: rng.choice(("ECDHE-RSA-AES128-GCM-SHA256", "ALL", "AES256-SHA")),
        "fields": lambda: rng.choice(WORDS),
        "from_user": lambda: rng.choice(("alice", "100", "a@b", "")),
        "callerid_privacy": lambda: _enum(rng, spec),
    }
    if spec.kind_name in makers:
        return makers[spec.kind_name]()
    if spec.enum_values or spec.kind_name == "enum":
        return _enum(rng, spec)
    return _string(rng, refs)


def option_value(rng: random.Random, spec: OptionSpec, refs: References) -> str:
    if rng.random() < INVALID_RATE:
        return rng.choice(BAD_VALUES)
    return valid_value(rng, spec, refs)


def _settable(type_schema: TypeSchema) -> list[OptionSpec]:
    return [spec for spec in type_schema.options if spec.name != "type" and not spec.regex]


def _option_name(rng: random.Random, spec: OptionSpec) -> str:
    if spec.regex:  # inbound-publication's ^event_ pattern
        return f"event_{rng.choice(('presence', 'dialog', 'mwi'))}"
    return _case(rng, spec.name)


def _operator(rng: random.Random) -> str:
    roll = rng.random()
    return "=>" if roll < 0.08 else "+=" if roll < 0.12 else "="


def _spacing(rng: random.Random, name: str, operator: str, value: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return f"  {name}\t{operator}  {value}  "
    if roll < 0.2:
        return f"{name} {operator} {value}"
    return f"{name}{operator}{value}"


def option_lines(rng: random.Random, type_schema: TypeSchema, refs: References, count: int) -> list[str]:
    lines = []
    options = _settable(type_schema)
    for _ in range(count):
        if rng.random() < UNKNOWN_RATE or not options:
            lines.append(f"{rng.choice(UNKNOWN_NAMES)}={rng.choice(BAD_VALUES + WORDS)}")
            continue
        spec = rng.choice(options)
        line = _spacing(rng, _option_name(rng, spec), _operator(rng), option_value(rng, spec, refs))
        if rng.random() < 0.05:
            line += f" ; {rng.choice(WORDS)} comment"
        lines.append(line)
    return lines


class _Writer:
    """Accumulates sections into files: mostly pjsip.conf, some in included files."""

    def __init__(self, rng: random.Random, schema: Schema) -> None:
        self.rng = rng
        self.schema = schema
        self.refs = References(rng)
        self.files: dict[str, list[str]] = {MAIN_FILE: [f"; generated pjsip.conf (seed-driven)"]}
        self.templates: dict[str, str] = {}  # template name -> type

    def target(self) -> list[str]:
        if self.rng.random() < 0.15:
            name = self.rng.choice(("inc/extra.conf", "endpoints.conf", "more_{a,b}.conf"))
            name = name.replace("{a,b}", self.rng.choice("ab"))
            if name not in self.files:
                self.files[name] = []
                directive = self.rng.choice(("#include", "#tryinclude", "#include"))
                quoted = f'"{name}"' if self.rng.random() < 0.5 else name
                self.files[MAIN_FILE].append(f"{directive} {quoted}")
            return self.files[name]
        return self.files[MAIN_FILE]

    def section(self, name: str, type_: str | None, body: list[str], inherit: tuple[str, ...] = (),
                template: bool = False) -> None:
        flags = (["!"] if template else []) + list(inherit)
        header = f"[{name}]" + (f"({','.join(flags)})" if flags else "")
        lines = [header]
        if type_ is not None:
            # type values are case-sensitive: a mis-cased one drops the section (rarely, as in real files)
            lines.append(f"type={type_ if self.rng.random() < 0.96 else type_.capitalize()}")
        lines.extend(body)
        target = self.target()
        target.append("")
        target.extend(lines)

    def typed_object(self, type_: str, id_: str, extra: list[str] | None = None) -> None:
        type_schema = self.schema.types[type_]
        inherit: tuple[str, ...] = ()
        own_templates = [t for t, kind in self.templates.items() if kind == type_]
        if own_templates and self.rng.random() < 0.4:
            inherit = tuple(self.rng.sample(own_templates, min(len(own_templates), self.rng.randint(1, 2))))
        if self.rng.random() < 0.003:  # Asterisk rejects the whole file: keep it rare
            inherit += ("no-such-template",)
        body = (extra or []) + option_lines(self.rng, type_schema, self.refs, self.rng.randint(0, 8))
        has_type = any(t in self.templates for t in inherit) and self.rng.random() < 0.5
        self.section(id_, None if has_type else type_, body, inherit)
        self.refs.add(type_, id_)

    def template(self, type_: str) -> None:
        name = f"t-{type_}-{len(self.templates)}"
        body = option_lines(self.rng, self.schema.types[type_], self.refs, self.rng.randint(1, 5))
        self.section(name, type_, body, template=True)
        self.templates[name] = type_

    def addition(self) -> None:
        """`[name](+)`: more lines for a section written earlier."""
        endpoints = self.refs.ids.get("endpoint", [])
        if endpoints:
            name = self.rng.choice(endpoints)
            lines = option_lines(self.rng, self.schema.types["endpoint"], self.refs, self.rng.randint(1, 3))
            self.files[MAIN_FILE].extend(["", f"[{name}](+)"] + lines)


def _trio(writer: _Writer, base: str) -> None:
    """An endpoint with its aor and auth, as most real configurations have them."""
    rng = writer.rng
    auth_id = base if rng.random() < 0.5 else f"{base}-auth"
    writer.typed_object("auth", auth_id, [f"username={base}", f"password=pw{base}{rng.choice('!#x1')}"])
    writer.typed_object("aor", base)
    extra = [f"aors={base}", f"auth={auth_id}"]
    if rng.random() < 0.5:
        extra.append(f"context={rng.choice(WORDS)}")
    writer.typed_object("endpoint", base, extra)


def _global_objects(writer: _Writer) -> None:
    rng = writer.rng
    for type_ in ("global", "system"):
        if rng.random() < 0.5:
            writer.typed_object(type_, type_ if rng.random() < 0.8 else f"my{type_}")
        if rng.random() < 0.05:  # a second one: Asterisk allows only one
            writer.typed_object(type_, f"{type_}2")


def generate_config(seed: int, schema: Schema | None = None) -> dict[str, str]:
    """One random configuration directory: {file name relative to it: text}."""
    rng = random.Random(seed)
    schema = schema or load_schema("22")
    writer = _Writer(rng, schema)
    writer.typed_object("transport", "transport-udp", ["protocol=udp", "bind=0.0.0.0:5060"])
    if rng.random() < 0.4:
        writer.typed_object("transport", "transport-v6", ["protocol=udp", "bind=[::]:5060"])
    _global_objects(writer)
    for _ in range(rng.randint(0, 3)):
        writer.template(rng.choice(("endpoint", "aor", "auth", "endpoint")))
    for index in range(rng.randint(2, 6)):
        _trio(writer, rng.choice((f"{3000 + seed % 100 * 10 + index}", f"user-{index}", rng.choice(ODD_IDS))))
    for _ in range(rng.randint(0, 6)):
        type_ = rng.choice([t for t in schema.types if t not in ("global", "system")])
        writer.typed_object(type_, f"{type_}-{rng.randint(1, 9)}" if rng.random() < 0.7 else rng.choice(ODD_IDS))
    if rng.random() < 0.5:
        writer.addition()
    if rng.random() < 0.3:  # the same id twice for one type
        type_ = rng.choice(("endpoint", "aor", "auth"))
        if writer.refs.ids.get(type_):
            writer.typed_object(type_, rng.choice(writer.refs.ids[type_]))
    _odd_sections(writer)
    return {name: "\n".join(lines) + "\n" for name, lines in writer.files.items()}


def _odd_sections(writer: _Writer) -> None:
    """Things real files have: untyped sections, unknown types, missing includes, block comments."""
    rng = writer.rng
    main = writer.files[MAIN_FILE]
    if rng.random() < 0.2:
        main.extend(["", "[general]", "debug=yes"])
    if rng.random() < 0.15:
        main.extend(["", "[weird]", "type=peer", "host=dynamic"])
    if rng.random() < 0.03:
        main.append("#include missing-file.conf")
    if rng.random() < 0.2:
        main.extend([";--", "[commented-out]", "type=endpoint", "--;"])
    if rng.random() < 0.1:
        main.append("line without an equals sign")


def write_config(directory: Path, files: dict[str, str]) -> Path:
    """Write `files` below `directory` (creating subdirectories); returns `directory`."""
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


if __name__ == "__main__":
    import sys

    for filename, content in generate_config(int(sys.argv[1]) if len(sys.argv) > 1 else 1).items():
        print(f"==> {filename} <==\n{content}")
