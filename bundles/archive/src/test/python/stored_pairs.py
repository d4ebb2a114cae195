"""What the archive's pydicom oracles share: reading the pairs, the checks every stored object must
pass, the element-by-element comparison, and the JSON answer."""
import json
import sys


def meta_problems(stored):
    """The stored file's meta information names its data set's SOP Class and Instance."""
    problems = []
    meta = stored.file_meta
    if str(meta.MediaStorageSOPInstanceUID) != str(stored.SOPInstanceUID):
        problems.append("meta SOP Instance UID differs from the data set's")
    if str(meta.MediaStorageSOPClassUID) != str(stored.SOPClassUID):
        problems.append("meta SOP Class UID differs from the data set's")
    return problems


def element_problems(orig, stored, skip):
    """Every element of either data set equals the other's (pydicom equality: tag, VR, value,
    sequences recursively), except the keywords in skip and retired Group Length (PS3.5 7.2)."""
    problems = []
    for elem in orig:
        if elem.keyword in skip or elem.tag.element == 0:
            continue
        if elem.tag not in stored:
            problems.append(f"{elem.tag} {elem.keyword} missing")
        elif stored[elem.tag] != elem:
            problems.append(f"{elem.tag} {elem.keyword} differs")
    for elem in stored:
        if elem.tag not in orig and elem.keyword not in skip:
            problems.append(f"{elem.tag} {elem.keyword} added")
    return problems


def run(check):
    """Reads the JSON list of pairs on stdin, answers [{"stored", "ok", "problems"}] on stdout."""
    out = []
    for p in json.load(sys.stdin):
        problems = check(p)
        out.append({"stored": p["stored"], "ok": not problems, "problems": problems[:10]})
    json.dump(out, sys.stdout)
