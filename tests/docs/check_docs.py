"""Holds README.md, man/zaudit.1, docs/CLI.md and docs/rules.md to what zaudit itself says
(`zaudit --help`, `zaudit rules --format json`), so nothing is advertised that does not exist
and nothing that exists goes undocumented.

usage: check_docs.py SOURCE_DIR ZAUDIT
"""

import json
import os
import re
import subprocess
import sys


class Checker:
    def __init__(self):
        self.failures = []

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)


def read(source, path):
    with open(os.path.join(source, path), encoding="utf-8") as f:
        return f.read()


def zaudit_output(zaudit, *args):
    result = subprocess.run([zaudit, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{zaudit} {' '.join(args)}: exit {result.returncode}\n{result.stderr}")
    return result.stdout


class Help:
    """What `zaudit --help` offers: options, commands and formats."""

    def __init__(self, text):
        self.long = set()
        self.short = set()
        descriptions = {}
        current = None
        for line in text.splitlines():
            m = re.match(r"^  (?:-(\w) \[ )?--([a-z][a-z-]*)(?: \])?(.*)$", line)
            if m:
                current = m.group(2)
                self.long.add(current)
                if m.group(1):
                    self.short.add(m.group(1))
                descriptions[current] = m.group(3)
            elif current and line.startswith(" " * 10):
                descriptions[current] += " " + line.strip()
            else:
                current = None
        self.commands = set(re.findall(r"^(?:usage:)?\s+zaudit ([a-z]+) ", text, re.M)) | {"audit"}
        self.formats = set()
        for group in re.findall(r"[a-z]+(?:\|[a-z]+)+", descriptions.get("format", "")):
            self.formats.update(group.split("|"))


def differences(listed, catalogue):
    """How a document's list of rule ids differs from the catalogue's, in a few words."""
    missing = [i for i in catalogue if i not in listed]
    extra = [i for i in listed if i not in catalogue]
    if missing or extra:
        return f"lacks {missing}, has unknown {extra}"
    return "lists the rules in another order than the catalogue"


def man_unescape(text):
    return text.replace("\\-", "-").replace("\\&", "")


def man_section(man, name):
    m = re.search(r"^\.SH " + name + r"\n(.*?)(?=^\.SH |\Z)", man, re.S | re.M)
    return m.group(1) if m else ""


# Words that would be formats if advertised; each one a document names must be one --help has.
FORMAT_WORDS = {"text", "json", "jsonl", "sarif", "markdown", "md", "html", "csv", "xml", "pdf"}


def markdown_code(text):
    """The fenced blocks and inline code spans of a markdown document."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"^```[a-z]*\n.*?^```", "", text, flags=re.S | re.M))
    return "\n".join(blocks + spans)


def check_command_lines(c, name, code, help_):
    """Every zaudit command line in code: its command, short options and --format values exist."""
    for line in re.findall(r"^\s*(?:.*\| )?zaudit\b([^\n#]*)", code, re.M):
        words = line.split()
        if words and re.fullmatch(r"[a-z]+", words[0]):
            c.expect(words[0] in help_.commands, f"{name}: `zaudit {words[0]}` is not a command of --help")
        for i, word in enumerate(words):
            if re.fullmatch(r"-[a-zA-Z]", word):
                c.expect(word[1] in help_.short, f"{name}: option {word} is not in --help")
            if word in ("-f", "--format") and i + 1 < len(words):
                c.expect(words[i + 1] in help_.formats, f"{name}: format {words[i + 1]} is not in --help")


def check_flags(c, name, text, help_):
    for flag in set(re.findall(r"(?<![\w-])--([a-z][a-z-]*[a-z])", text)):
        c.expect(flag in help_.long, f"{name}: --{flag} is not an option of --help")
    for word in set(re.findall(r"`([a-z]+)`", text)) & FORMAT_WORDS:
        c.expect(word in help_.formats, f"{name}: format `{word}` is not in --help")


def check_readme(c, readme, help_):
    check_flags(c, "README.md", readme, help_)
    check_command_lines(c, "README.md", markdown_code(readme), help_)
    for fmt in help_.formats:
        c.expect(f"`{fmt}`" in readme, f"README.md: format `{fmt}` of --help is not mentioned")
    for command in help_.commands - {"audit"}:
        c.expect(f"zaudit {command}" in readme, f"README.md: command {command} of --help is not shown")


def check_man(c, man, help_, rule_ids):
    text = man_unescape(man)
    check_flags(c, "man/zaudit.1", text, help_)
    check_command_lines(c, "man/zaudit.1", man_unescape(man_section(man, "EXAMPLES")), help_)
    options = man_section(man, "OPTIONS")
    for flag in help_.long:
        c.expect("\\-\\-" + flag.replace("-", "\\-") in options, f"man/zaudit.1: OPTIONS lacks --{flag}")
    synopsis = set(re.findall(r"^\.B zaudit ([a-z]+)", man_section(man, "SYNOPSIS"), re.M)) | {"audit"}
    c.expect(synopsis == help_.commands, f"man/zaudit.1: SYNOPSIS commands {sorted(synopsis)} differ from --help's "
                                         f"{sorted(help_.commands)}")
    described = set(re.findall(r"^\.B ([a-z]+)$", man_section(man, "COMMANDS"), re.M))
    c.expect(described == help_.commands, f"man/zaudit.1: COMMANDS {sorted(described)} differ from --help's "
                                          f"{sorted(help_.commands)}")
    in_man = re.findall(r"^\.B ([a-z]+\.[a-z0-9-]+) ", man_section(man, "RULES"), re.M)
    c.expect(in_man == rule_ids, f"man/zaudit.1: RULES {differences(in_man, rule_ids)}")


def check_cli_md(c, cli_md, help_):
    check_flags(c, "docs/CLI.md", cli_md, help_)
    check_command_lines(c, "docs/CLI.md", markdown_code(cli_md), help_)
    for flag in help_.long:
        c.expect(f"`--{flag}`" in cli_md, f"docs/CLI.md: option --{flag} of --help is not documented")
    for short in help_.short:
        c.expect(f"`-{short}`" in cli_md, f"docs/CLI.md: option -{short} of --help is not documented")
    for fmt in help_.formats:
        c.expect(f"| `{fmt}` |" in cli_md, f"docs/CLI.md: format {fmt} has no row in the formats table")
    for code in ("0", "1", "2"):
        c.expect(f"| `{code}` |" in cli_md, f"docs/CLI.md: exit status {code} is not documented")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    source, zaudit = argv[1], argv[2]
    help_ = Help(zaudit_output(zaudit, "--help"))
    rules = json.loads(zaudit_output(zaudit, "rules", "--format", "json"))["rules"]
    rule_ids = [rule["id"] for rule in rules]
    c = Checker()
    # The parse of --help must have found what it looks for, or every check below is empty.
    c.expect(len(help_.long) >= 10 and {"format", "help", "fail-on"} <= help_.long,
             f"--help: options not found ({sorted(help_.long)})")
    c.expect({"text", "json"} <= help_.formats, f"--help: formats not found ({sorted(help_.formats)})")
    c.expect({"rules", "calls"} <= help_.commands, f"--help: commands not found ({sorted(help_.commands)})")
    c.expect(len(rule_ids) >= 12, "zaudit rules --format json: too few rules")

    check_readme(c, read(source, "README.md"), help_)
    check_man(c, read(source, "man/zaudit.1"), help_, rule_ids)
    check_cli_md(c, read(source, "docs/CLI.md"), help_)
    rules_md = read(source, "docs/rules.md")
    in_md = re.findall(r"^## ([a-z]+\.[a-z0-9-]+)$", rules_md, re.M)
    c.expect(in_md == rule_ids, f"docs/rules.md {differences(in_md, rule_ids)}")
    for rule in rules:
        c.expect(f"| {rule['severity']} |" in rules_md.split(f"`{rule['id']}`", 1)[-1].split("\n", 1)[0],
                 f"docs/rules.md: {rule['id']} is not listed as {rule['severity']}")

    for failure in c.failures:
        print(f"FAIL {failure}")
    print(f"{len(help_.long)} options, {len(help_.commands)} commands, {len(help_.formats)} formats, "
          f"{len(rule_ids)} rules checked in README.md, man/zaudit.1, docs/CLI.md and docs/rules.md: "
          f"{len(c.failures)} problem(s)")
    if c.failures:
        print("docs/rules.md and the man page's OPTIONS and RULES come from the code: run scripts/gen-docs")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
