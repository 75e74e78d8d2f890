"""The HTML report as a real browser builds it: headless Chromium loads the page and dumps its DOM.

usage: check_html.py ZAUDIT SOURCE_DIR WORK_DIR

real      the report of a real call (tests/interop/zrtp-linphone.pcap: two linphone-cli, ZRTP) has
          one SVG ladder whose arrows each carry their frame number (data-frame and a title
          "frame N at ..."), the findings tables, and every frame a finding cites links to an
          arrow of that frame
hostile   a capture whose Call-ID, From and User-Agent carry markup (written here, byte by byte)
          gives a DOM with no element and no event handler from it: the markup is text
Chromium is Debian's `chromium` (scripts/deps), run with --no-sandbox since tests may run as root;
the page's own Content-Security-Policy forbids every script and network load anyway.
"""

import html.parser
import os
import shutil
import struct
import subprocess
import sys

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.text = ""


class DomBuilder(html.parser.HTMLParser):
    """Enough of a DOM to walk: elements with attributes, children and their own text."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "embed", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", [], None)
        self.current = self.root
        self.elements = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.elements.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.elements.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data


def text_of(element):
    return element.text + "".join(text_of(child) for child in element.children)


def dump_dom(chromium, page, work_dir):
    profile = os.path.join(work_dir, "chromium-profile")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--dump-dom",
         "file://" + os.path.abspath(page)],
        capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0 or "<html" not in result.stdout:
        sys.exit(f"check_html.py: {chromium} --dump-dom {page} failed ({result.returncode}): {result.stderr[-2000:]}")
    builder = DomBuilder()
    builder.feed(result.stdout)
    return builder


def write_report(zaudit, capture, page):
    result = subprocess.run([zaudit, "--format", "html", "--output", page, capture], capture_output=True,
                            text=True, check=False)
    if result.returncode not in (0, 1):
        sys.exit(f"check_html.py: zaudit on {capture} exited {result.returncode}: {result.stderr}")


def check_real_call(chromium, zaudit, source_dir, work_dir, failures):
    page = os.path.join(work_dir, "zrtp-linphone.html")
    write_report(zaudit, os.path.join(source_dir, "tests", "interop", "zrtp-linphone.pcap"), page)
    dom = dump_dom(chromium, page, work_dir)
    svgs = [e for e in dom.elements if e.tag == "svg"]
    if len(svgs) != 1:
        failures.append(f"real: {len(svgs)} svg ladders, expected 1 (one call)")
    arrows = [e for e in dom.elements if e.tag == "g" and "data-frame" in e.attrs]
    if len(arrows) < 20:
        failures.append(f"real: only {len(arrows)} ladder rows")
    for arrow in arrows:
        titles = [c for c in arrow.children if c.tag == "title"]
        frame = arrow.attrs["data-frame"]
        if not titles or not text_of(titles[0]).startswith(f"frame {frame} at "):
            failures.append(f"real: the arrow of frame {frame} has no title naming it")
    kinds = {cls for a in arrows for cls in a.attrs.get("class", "").split()}
    for kind in ("sip", "zrtp", "media"):
        if kind not in kinds:
            failures.append(f"real: no {kind} arrow in the ladder")
    ids = {e.attrs["id"] for e in dom.elements if "id" in e.attrs}
    findings_tables = [e for e in dom.elements if e.tag == "table" and e.attrs.get("class") == "findings"]
    if not findings_tables:
        failures.append("real: no findings table")
    frame_links = 0
    for table in findings_tables:
        for link in (e for e in dom.elements if e.tag == "a" and is_inside(e, table)):
            target = link.attrs.get("href", "")[1:]
            if "-frame-" in target:
                frame_links += 1
                arrow = next((a for a in arrows if a.attrs.get("id") == target), None)
                if arrow is None or arrow.attrs["data-frame"] != text_of(link).strip():
                    failures.append(f"real: finding link to frame {text_of(link)} lands on no arrow of that frame")
            elif target not in ids:
                failures.append(f"real: link #{target} lands nowhere")
    if frame_links == 0:
        failures.append("real: no finding links to a ladder arrow")
    verdicts = [e for e in dom.elements if e.tag == "table" and e.attrs.get("class") == "verdicts"]
    if not verdicts or "ZRTP: handshake verified at this point" not in text_of(verdicts[0]):
        failures.append("real: the verdict table does not say the ZRTP handshake was verified")


def is_inside(element, ancestor):
    while element is not None:
        if element is ancestor:
            return True
        element = element.parent
    return False


HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'><svg onload=alert(3)>&amp;"


def hostile_pcap(path):
    """One SIP INVITE over UDP/IPv4/Ethernet whose Call-ID, From and User-Agent are HOSTILE."""
    sip = (f"INVITE sip:bob@198.51.100.20 SIP/2.0\r\n"
           f"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKhostile\r\n"
           f"From: \"{HOSTILE}\" <sip:alice@192.0.2.10>;tag=a1\r\n"
           f"To: <sip:bob@198.51.100.20>\r\n"
           f"Call-ID: {HOSTILE}\r\n"
           f"CSeq: 1 INVITE\r\n"
           f"User-Agent: {HOSTILE}\r\n"
           f"Content-Length: 0\r\n\r\n").encode()
    udp = struct.pack("!HHHH", 5060, 5060, 8 + len(sip), 0) + sip
    ip_header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                            bytes([192, 0, 2, 10]), bytes([198, 51, 100, 20]))
    checksum = sum(struct.unpack("!10H", ip_header))
    checksum = (checksum & 0xFFFF) + (checksum >> 16)
    checksum = ~((checksum & 0xFFFF) + (checksum >> 16)) & 0xFFFF
    ip_header = ip_header[:10] + struct.pack("!H", checksum) + ip_header[12:]
    frame = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00" + ip_header + udp
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        f.write(struct.pack("<IIII", 1_800_000_000, 0, len(frame), len(frame)))
        f.write(frame)


def check_hostile(chromium, zaudit, work_dir, failures):
    capture = os.path.join(work_dir, "hostile.pcap")
    hostile_pcap(capture)
    page = os.path.join(work_dir, "hostile.html")
    write_report(zaudit, capture, page)
    dom = dump_dom(chromium, page, work_dir)
    for element in dom.elements:
        if element.tag in ("script", "img"):
            failures.append(f"hostile: a live <{element.tag}> element")
        for name in element.attrs:
            if name.startswith("on"):
                failures.append(f"hostile: a live {name} attribute on <{element.tag}>")
    svgs = [e for e in dom.elements if e.tag == "svg"]
    if len(svgs) != 1:
        failures.append(f"hostile: {len(svgs)} svg elements; the capture's <svg> must stay text")
    call_ids = [e for e in dom.elements if e.tag == "span" and e.attrs.get("class") == "mono" and HOSTILE in text_of(e)]
    if not call_ids:
        failures.append("hostile: the Call-ID is not shown as text, character for character")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    zaudit, source_dir, work_dir = sys.argv[1:]
    chromium = next((shutil.which(c) for c in CHROMIUM_CANDIDATES if shutil.which(c)), None)
    if chromium is None:
        sys.exit("check_html.py: no chromium on PATH; scripts/deps installs Debian's chromium")
    shutil.rmtree(work_dir, ignore_errors=True)
    os.makedirs(work_dir)
    failures = []
    check_real_call(chromium, zaudit, source_dir, work_dir, failures)
    check_hostile(chromium, zaudit, work_dir, failures)
    for failure in failures:
        print("FAIL", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
