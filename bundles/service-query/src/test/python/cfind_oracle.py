#!/usr/bin/python3
"""cfind_oracle.py - pydicom as the judge of C-FIND answers (PS3.4 C.2.2.2 and C.4.1), written
independently of Mosaic's index: it reads the corpus with pydicom, builds the patient / study /
series / instance entities, matches each query's keys itself and compares the expected matches
and values with the response files findscu wrote (-X: rsp0001.dcm ...), decoded by pydicom.

  cfind_oracle.py write-queries SPEC.json CORPUS_LIST OUTDIR
      writes OUTDIR/<name>/query.dcm for every query of SPEC (placeholders resolved)
  cfind_oracle.py check SPEC.json CORPUS_LIST OUTDIR
      prints a JSON report: {name: {"expected": n, "actual": n, "problems": [...]}}
  cfind_oracle.py check-text SPEC.json CORPUS_LIST OUTDIR
      the same as lines: "OK name expected actual" or "FAIL name expected actual problem; problem..."

CORPUS_LIST is a text file with one DICOM file path per line (what the index holds). SPEC is a
JSON list of {"name", "model": "P"|"S", "level", "charset": null|str|[str], "keys": {keyword: value},
"expect_charset": optional [terms]}. A key value "" is a return key, a list of one object is a
sequence key. Values may hold placeholders resolved from the native/ files in path order:
@study:PATID:i, @series:PATID:i:j, @sop:PATID:i:j:k (0-based), @studies:PATID (all of them), and
@initial:PATID:g, the first letter of the family name in component group g of the patient's name
followed by "*" (so that a query can name a patient of a generated corpus in its own script).
"""
import fnmatch
import json
import os
import re
import sys
from collections import OrderedDict

import pydicom
from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

PATIENT, STUDY, SERIES, IMAGE = "PATIENT", "STUDY", "SERIES", "IMAGE"
LEVELS = [PATIENT, STUDY, SERIES, IMAGE]
UNIQUE = {PATIENT: "PatientID", STUDY: "StudyInstanceUID", SERIES: "SeriesInstanceUID", IMAGE: "SOPInstanceUID"}
DERIVED = {"NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances",
           "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances", "NumberOfSeriesRelatedInstances",
           "ModalitiesInStudy", "SOPClassesInStudy"}
# keys that describe the query, never matched (PS3.4 C.4.1.1.3)
NOT_MATCHED = {"QueryRetrieveLevel", "SpecificCharacterSet", "RetrieveAETitle", "InstanceAvailability"}


# ------------------------------------------------------------------ corpus

class Corpus:
    def __init__(self, paths):
        self.files = []
        for p in paths:
            try:
                ds = pydicom.dcmread(p, stop_before_pixels=True)
            except Exception:  # noqa: BLE001 - unreadable files are not in the index either
                continue
            if "SOPInstanceUID" not in ds or "StudyInstanceUID" not in ds or "SeriesInstanceUID" not in ds:
                continue
            self.files.append((p, ds))
        self.files.sort(key=lambda f: f[0])
        self.instances = OrderedDict()
        for p, ds in self.files:
            self.instances.setdefault(ds.SOPInstanceUID, (p, ds))
        self.by_level = {l: OrderedDict() for l in LEVELS}
        for sop, (p, ds) in self.instances.items():
            pid = str(ds.get("PatientID", ""))
            self.by_level[PATIENT].setdefault(pid, []).append(ds)
            self.by_level[STUDY].setdefault(ds.StudyInstanceUID, []).append(ds)
            self.by_level[SERIES].setdefault(ds.SeriesInstanceUID, []).append(ds)
            self.by_level[IMAGE].setdefault(sop, []).append(ds)

    def native(self):
        """Natives in path order: {patient: [study uid...]}, {(patient, study i): [series...]}, ..."""
        studies, series, sops = OrderedDict(), OrderedDict(), OrderedDict()
        for p, ds in self.files:
            if "/native/" not in p:
                continue
            pid = str(ds.PatientID)
            st = studies.setdefault(pid, [])
            if ds.StudyInstanceUID not in st:
                st.append(ds.StudyInstanceUID)
            i = st.index(ds.StudyInstanceUID)
            se = series.setdefault((pid, i), [])
            if ds.SeriesInstanceUID not in se:
                se.append(ds.SeriesInstanceUID)
            j = se.index(ds.SeriesInstanceUID)
            sops.setdefault((pid, i, j), []).append(ds.SOPInstanceUID)
        return studies, series, sops

    def derived(self, level, uid, keyword):
        members = self.by_level[level][uid]
        if keyword == "ModalitiesInStudy":
            return sorted({str(d.get("Modality", "")) for d in members if d.get("Modality")})
        if keyword == "SOPClassesInStudy":
            return sorted({str(d.SOPClassUID) for d in members})
        if keyword.endswith("RelatedStudies"):
            return len({d.StudyInstanceUID for d in members})
        if keyword.endswith("RelatedSeries"):
            return len({d.SeriesInstanceUID for d in members})
        if keyword.endswith("RelatedInstances"):
            return len({d.SOPInstanceUID for d in members})
        raise ValueError(keyword)


def resolve(value, corpus):
    studies, series, sops = corpus.native()

    def one(token):
        parts = token.split(":")
        kind, pid = parts[0], parts[1]
        idx = [int(x) for x in parts[2:]]
        if kind == "@initial":
            name = next(str(ds.PatientName) for p, ds in corpus.files if str(ds.get("PatientID", "")) == pid)
            return name.split("=")[idx[0]][0] + "*"
        if kind == "@studies":
            return "\\".join(studies[pid])
        if kind == "@study":
            return studies[pid][idx[0]]
        if kind == "@series":
            return series[(pid, idx[0])][idx[1]]
        if kind == "@sop":
            return sops[(pid, idx[0], idx[1])][idx[2]]
        raise ValueError(token)

    if isinstance(value, str):
        return re.sub(r"@[a-z]+:[A-Z0-9]+(?::\d+)*", lambda m: one(m.group(0)), value)
    if isinstance(value, list):
        return [{k: resolve(v, corpus) for k, v in item.items()} for item in value]
    return value


# ------------------------------------------------------------------ matching (PS3.4 C.2.2.2)

def is_universal(key):
    if isinstance(key, list):
        return not key or all(is_universal(v) for v in key[0].values())
    return key == "" or all(v == "*" for v in key.split("\\"))


def glob(pattern, text, fold=False):
    if fold:
        pattern, text = pattern.upper(), text.upper()
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.S) is not None


def norm_pn(s):
    # trailing component and group separators and padding are insignificant (PS3.5 6.2.1)
    groups = [re.sub(r"[\^ ]+$", "", g) for g in s.split("=")]
    while groups and groups[-1] == "":
        groups.pop()
    return groups


def match_pn(key, value):
    kgroups = key.split("=")
    vgroups = norm_pn(value)
    if len(kgroups) == 1:
        k = re.sub(r"[\^ ]+$", "", kgroups[0]) if not kgroups[0].endswith("*") else kgroups[0]
        return any(glob(k, g, fold=True) for g in vgroups if g)
    for i, k in enumerate(kgroups):
        if k in ("", "*"):
            continue
        g = vgroups[i] if i < len(vgroups) else ""
        if not glob(k, g, fold=True):
            return False
    return True


def pad_time(t, high):
    t = t.replace(":", "")
    whole, _, frac = t.partition(".")
    if high:
        whole = whole + "595959"[len(whole):6] if len(whole) < 6 else whole
        frac = (frac + "999999")[:6]
    else:
        whole = whole.ljust(6, "0")
        frac = (frac + "000000")[:6]
    return whole + "." + frac


def in_range(vr, key, value):
    if "-" in key and vr in ("DA", "TM", "DT"):
        lo, hi = key.split("-", 1)
    else:
        lo = hi = key
    if vr == "DA":
        return (not lo or value >= lo) and (not hi or value <= hi)
    if vr == "TM":
        v = pad_time(value, False)
        return (not lo or v >= pad_time(lo, False)) and (not hi or v <= pad_time(hi, True))
    if vr == "DT":
        v = value.ljust(14, "0")
        return (not lo or v >= lo.ljust(14, "0")) and (not hi or v <= hi.ljust(14, "9"))
    raise ValueError(vr)


def values_of(elem):
    v = elem.value
    if v is None or v == "":
        return []
    if isinstance(v, MultiValue):
        return [str(x) for x in v]
    return [str(v)]


def match_key(keyword, key, ds):
    if is_universal(key):
        return True
    vr = dictionary_VR(tag_for_keyword(keyword))
    if keyword not in ds:
        return False
    elem = ds[keyword]
    if vr == "SQ":
        item_keys = key[0]
        return any(all(match_key(k, v, item) for k, v in item_keys.items()) for item in (elem.value or []))
    values = values_of(elem)
    if not values:
        return False
    keys = key.split("\\")
    for k in keys:
        for v in values:
            if vr == "PN":
                if match_pn(k, v):
                    return True
            elif vr in ("DA", "TM", "DT"):
                if in_range(vr, k, v):
                    return True
            elif vr in ("IS", "DS"):
                if float(k) == float(v):
                    return True
            elif vr == "UI":
                if k == v:
                    return True
            elif glob(k, v.rstrip(" ")):
                return True
    return False


def matches(query, corpus):
    level = query["level"]
    out = []
    for uid, members in corpus.by_level[level].items():
        ok = True
        for keyword, key in query["keys"].items():
            if keyword in NOT_MATCHED or keyword in DERIVED and is_universal(key):
                continue
            if keyword == "ModalitiesInStudy":
                mods = corpus.derived(level, uid, keyword)
                ok = any(glob(k, m) for k in key.split("\\") for m in mods)
            else:
                # the first instance of an entity carries its attributes and its ancestors'
                ok = match_key(keyword, key, members[0])
            if not ok:
                break
        if ok:
            out.append((uid, members))
    return out


# ------------------------------------------------------------------ comparing

def canon(keyword, value):
    """A comparable form of a value: strings stripped, numbers as floats, multi-values as lists."""
    if isinstance(value, int):
        return [float(value)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value
    if isinstance(value, list):
        return sorted(value) if keyword in ("ModalitiesInStudy", "SOPClassesInStudy") else value
    return value


def expected_value(keyword, query, uid, members, corpus):
    level = query["level"]
    if keyword in DERIVED:
        ent_level = PATIENT if keyword.startswith("NumberOfPatient") \
            else SERIES if keyword.startswith("NumberOfSeries") else STUDY
        ent_uid = members[0].get(UNIQUE[ent_level])
        return canon(keyword, corpus.derived(ent_level, ent_uid, keyword))
    ds = members[0]
    vr = dictionary_VR(tag_for_keyword(keyword))
    if keyword not in ds:
        return []
    if vr == "SQ":
        item_keys = query["keys"][keyword][0]
        items = []
        for item in ds[keyword].value:
            if all(match_key(k, v, item) for k, v in item_keys.items()):
                items.append({k: element_value(item, k) for k in item_keys})
        return items
    return canon(keyword, element_value(ds, keyword))


def element_value(ds, keyword):
    if keyword not in ds:
        return []
    vr = dictionary_VR(tag_for_keyword(keyword))
    vals = values_of(ds[keyword])
    if vr in ("IS", "DS", "US", "UL", "SS", "SL"):
        return [float(v) for v in vals]
    if vr == "PN":
        return ["=".join(norm_pn(v)) for v in vals]
    return [v.strip(" ") for v in vals]


def actual_value(keyword, rsp, query):
    vr = dictionary_VR(tag_for_keyword(keyword))
    if keyword not in rsp:
        return None
    if vr == "SQ":
        item_keys = query["keys"][keyword][0]
        return [{k: element_value(item, k) for k in item_keys} for item in rsp[keyword].value]
    return canon(keyword, element_value(rsp, keyword))


def check(spec, corpus, outdir):
    report = OrderedDict()
    for query in spec:
        q = dict(query, keys={k: resolve(v, corpus) for k, v in query["keys"].items()})
        qdir = os.path.join(outdir, q["name"])
        responses = sorted(f for f in os.listdir(qdir) if f.startswith("rsp") and f.endswith(".dcm"))
        expected = OrderedDict((uid, members) for uid, members in matches(q, corpus))
        problems = []
        seen = set()
        for f in responses:
            rsp = pydicom.dcmread(os.path.join(qdir, f), force=True)
            uid = str(rsp.get(UNIQUE[q["level"]], ""))
            if uid in seen:
                problems.append("%s: %s returned twice" % (f, uid))
            seen.add(uid)
            if str(rsp.get("QueryRetrieveLevel", "")) != q["level"]:
                problems.append("%s: QueryRetrieveLevel %r" % (f, rsp.get("QueryRetrieveLevel")))
            if "expect_charset" in q:
                cs = rsp.get("SpecificCharacterSet")
                terms = [] if cs is None else list(cs) if isinstance(cs, MultiValue) else [cs]
                if terms != q["expect_charset"]:
                    problems.append("%s: SpecificCharacterSet %r, expected %r" % (f, terms, q["expect_charset"]))
            if uid not in expected:
                problems.append("%s: %s %s does not match" % (f, UNIQUE[q["level"]], uid))
                continue
            for keyword in q["keys"]:
                if keyword in NOT_MATCHED:
                    continue
                want = expected_value(keyword, q, uid, expected[uid], corpus)
                got = actual_value(keyword, rsp, q)
                if got is None:
                    problems.append("%s: return key %s missing" % (f, keyword))
                elif got != want:
                    problems.append("%s: %s is %r, pydicom says %r" % (f, keyword, got, want))
        for uid in expected:
            if uid not in seen:
                problems.append("missing match %s" % uid)
        report[q["name"]] = {"expected": len(expected), "actual": len(responses), "problems": problems}
    return report


# ------------------------------------------------------------------ query files

def write_queries(spec, corpus, outdir):
    for query in spec:
        ds = Dataset()
        if query.get("charset"):
            ds.SpecificCharacterSet = query["charset"]
        ds.QueryRetrieveLevel = query["level"]
        for keyword, value in query["keys"].items():
            value = resolve(value, corpus)
            if isinstance(value, list):
                item = Dataset()
                for k, v in value[0].items():
                    setattr(item, k, v)
                setattr(ds, keyword, Sequence([item]))
            else:
                setattr(ds, keyword, value)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.2.2.1"
        meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, False
        qdir = os.path.join(outdir, query["name"])
        os.makedirs(qdir, exist_ok=True)
        ds.save_as(os.path.join(qdir, "query.dcm"), write_like_original=False)


def main():
    mode, spec_file, corpus_list, outdir = sys.argv[1:5]
    with open(spec_file, encoding="utf-8") as f:
        spec = json.load(f)
    with open(corpus_list, encoding="utf-8") as f:
        corpus = Corpus([line.strip() for line in f if line.strip()])
    if mode == "write-queries":
        write_queries(spec, corpus, outdir)
    elif mode == "check":
        json.dump(check(spec, corpus, outdir), sys.stdout, ensure_ascii=False, indent=1)
    elif mode == "check-text":
        for name, r in check(spec, corpus, outdir).items():
            ok = not r["problems"] and r["expected"] == r["actual"]
            print("%s %s %d %d %s" % ("OK" if ok else "FAIL", name, r["expected"], r["actual"],
                                      "; ".join(r["problems"][:5])))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
