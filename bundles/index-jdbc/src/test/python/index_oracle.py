#!/usr/bin/python3
"""What the archive index must hold and answer, computed independently with pydicom.

Reads the files (in the order the Java test records them) with pydicom, applies the index's
recording rules (see bundles/index-jdbc/README.md: identity of patients, first instance defines
an entity and later ones fill gaps, a new study refreshes its patient, duplicates and series of
another study are refused) and evaluates a table of queries with its own implementation of the
PS3.4 C.2.2.2 matching rules. Writes one JSON document.

usage: index_oracle.py FILES.txt QUERIES.json LEVELS.json OUT.json
  FILES.txt   one path per line
  LEVELS.json {keyword: PATIENT|STUDY|SERIES|IMAGE} for the attributes the queries and comparisons use
"""
import datetime
import decimal
import json
import re
import sys
import unicodedata

import pydicom
from pydicom.dataelem import DataElement
from pydicom.multival import MultiValue

LEVELS = ["PATIENT", "STUDY", "SERIES", "IMAGE"]
WILDCARD_VRS = {"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UR", "UT"}
NUMBER_VRS = {"IS", "DS", "US", "SS", "UL", "SL", "UV", "SV", "FL", "FD"}
SINGLE_VALUE_TEXT = {"LT", "ST", "UT", "UR"}
NOT_ENTITY = {"SpecificCharacterSet", "QueryRetrieveLevel", "RetrieveAETitle", "InstanceAvailability",
              "RetrieveURL", "StorageMediaFileSetID", "StorageMediaFileSetUID"}
DERIVED = {"NumberOfPatientRelatedStudies": "PATIENT", "NumberOfPatientRelatedSeries": "PATIENT",
           "NumberOfPatientRelatedInstances": "PATIENT", "NumberOfStudyRelatedSeries": "STUDY",
           "NumberOfStudyRelatedInstances": "STUDY", "ModalitiesInStudy": "STUDY", "SOPClassesInStudy": "STUDY",
           "NumberOfSeriesRelatedInstances": "SERIES"}

# ------------------------------------------------------------------ values


def is_empty(elem):
    if elem is None:
        return True
    v = elem.value
    if elem.VR == "SQ":
        return v is None or len(v) == 0
    if v is None:
        return True
    if isinstance(v, (bytes, bytearray)):
        return len(v) == 0
    if isinstance(v, (list, MultiValue)):
        return len(v) == 0 or all(str(x).strip(" \0") == "" for x in v)
    return str(v).strip(" \0") == ""


def strings(elem):
    """The values of an element as strings, like DataSet.getStrings."""
    if elem is None or is_empty(elem) or elem.VR == "SQ":
        return []
    v = elem.value
    items = list(v) if isinstance(v, (list, MultiValue)) else [v]
    out = []
    for x in items:
        if isinstance(x, (bytes, bytearray)):
            return []
        out.append(str(x).strip(" \0"))
    return out


def canon_number(s):
    try:
        d = decimal.Decimal(s.strip())
    except decimal.InvalidOperation:
        return s.strip()
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def canonical_name(value):
    groups = name_groups(value)
    while groups and groups[-1] == "":
        groups.pop()
    return "=".join(groups)


def canonical(vr, values):
    if vr == "PN":
        return "\\".join(canonical_name(v) for v in values)
    if vr in NUMBER_VRS:
        return "\\".join(canon_number(v) for v in values)
    return "\\".join(values)


# ------------------------------------------------------------------ dates and times

def parse_date(s):
    v = s.strip()
    if len(v) == 10 and v[4] == "." and v[7] == ".":
        v = v[0:4] + v[5:7] + v[8:10]
    if len(v) != 8 or not v.isdigit():
        raise ValueError("bad DA " + s)
    return datetime.date(int(v[0:4]), int(v[4:6]), int(v[6:8]))


def parse_time(s, ceil):
    v = s.strip().replace(":", "")
    main, _, frac = v.partition(".")
    if len(main) not in (2, 4, 6) or not main.isdigit() or (frac and not frac.isdigit()) or len(frac) > 6:
        raise ValueError("bad TM " + s)
    h = int(main[0:2])
    m = int(main[2:4]) if len(main) >= 4 else (59 if ceil else 0)
    sec = int(main[4:6]) if len(main) >= 6 else (59 if ceil else 0)
    sec = min(sec, 59)
    if frac:
        micro = int((frac + ("999999" if ceil else "000000"))[:6])
    else:
        micro = 999999 if ceil else 0
    return datetime.time(h, m, sec, micro)


def parse_datetime(s, ceil):
    v = s.strip()
    m = re.match(r"^(\d{4,14})(\.\d{1,6})?([+-]\d{4})?$", v)
    if not m or len(m.group(1)) % 2:
        raise ValueError("bad DT " + s)
    d = m.group(1)
    year = int(d[0:4])
    month = int(d[4:6]) if len(d) >= 6 else (12 if ceil else 1)
    if len(d) >= 8:
        day = int(d[6:8])
    elif ceil:
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        day = (nxt - datetime.timedelta(days=1)).day
    else:
        day = 1
    date = datetime.date(year, month, day)
    if len(d) > 8:
        t = parse_time(d[8:] + (m.group(2) or ""), ceil)
    else:
        t = datetime.time(23, 59, 59, 999999) if ceil else datetime.time(0, 0)
    return datetime.datetime.combine(date, t)


PARSERS = {
    "DA": lambda s, ceil: parse_date(s),
    "TM": parse_time,
    "DT": parse_datetime,
}


def key_range(vr, key):
    parse = PARSERS[vr]
    if "-" in key:
        lo, _, hi = key.partition("-")
        return (parse(lo, False) if lo.strip() else None, parse(hi, True) if hi.strip() else None)
    return (parse(key, False), parse(key, True))


def stored_value(vr, s):
    try:
        return PARSERS[vr](s, False)
    except (ValueError, IndexError):
        return None


def in_range(rng, value):
    lo, hi = rng
    return value is not None and (lo is None or lo <= value) and (hi is None or value <= hi)


# ------------------------------------------------------------------ matching

def normalize_name(s):
    return unicodedata.normalize("NFKC", s).upper()


def wildcard_regex(pattern):
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("".join(out), re.DOTALL)


def glob(pattern, text):
    return wildcard_regex(pattern).fullmatch(text) is not None


def name_groups(value):
    groups = (value.split("=", 2) + ["", ""])[:3]
    out = []
    for g in groups:
        comps = g.split("^", 4)
        comps[0] = comps[0].lstrip()
        comps[-1] = comps[-1].rstrip()
        while comps and comps[-1] == "":
            comps.pop()
        out.append("^".join(comps))
    return out


def match_group(key, value):
    k, v = normalize_name(key), normalize_name(value)
    return glob(k, v) if ("*" in k or "?" in k) else k == v


def match_name(key, value):
    kg, vg = name_groups(key), name_groups(value)
    if "=" not in key:
        if kg[0] == "":
            return True
        return any(g != "" and match_group(kg[0], g) for g in vg)
    return all(kg[i] in ("", "*") or match_group(kg[i], vg[i]) for i in range(3))


def number_equal(a, b):
    try:
        return decimal.Decimal(a.strip()) == decimal.Decimal(b.strip())
    except decimal.InvalidOperation:
        return a.strip() == b.strip()


def match_value(vr, key, value):
    if vr == "UI":
        return key.strip() == value.strip()
    if vr in PARSERS:
        return in_range(key_range(vr, key), stored_value(vr, value))
    if vr == "PN":
        return match_name(key, value)
    if vr in WILDCARD_VRS:
        return glob(key, value) if ("*" in key or "?" in key) else key == value
    if vr in NUMBER_VRS:
        return number_equal(key, value)
    return key == value


def key_values(vr, key):
    if key is None or key == "":
        return []
    return [key] if vr in SINGLE_VALUE_TEXT else key.split("\\")


def universal(vr, key):
    if vr == "SQ":
        return not key or not has_matching_keys(key[0])
    values = key_values(vr, key)
    return len(values) == 0 or all(v == "*" for v in values)


def has_matching_keys(item):
    return any(not universal(vr_of(kw), v) for kw, v in item.items())


def vr_of(keyword):
    tag = pydicom.datadict.tag_for_keyword(keyword)
    return pydicom.datadict.dictionary_VR(tag).split(" ")[0]


def time_keyword(date_keyword):
    if not date_keyword.endswith("Date") or vr_of(date_keyword) != "DA":
        return None
    t = date_keyword[:-4] + "Time"
    return t if pydicom.datadict.tag_for_keyword(t) is not None and vr_of(t) == "TM" else None


def combined_applies(keys, date_kw, time_kw):
    return (date_kw in keys and time_kw in keys and not universal("DA", keys[date_kw])
            and not universal("TM", keys[time_kw]) and len(key_values("DA", keys[date_kw])) == 1
            and len(key_values("TM", keys[time_kw])) == 1)


def combined_match(attrs, date_key, time_key, date_kw, time_kw):
    d_lo, d_hi = key_range("DA", date_key)
    t_lo, t_hi = key_range("TM", time_key)
    lo = datetime.datetime.combine(d_lo, t_lo or datetime.time(0, 0)) if d_lo else None
    hi = datetime.datetime.combine(d_hi, t_hi or datetime.time(23, 59, 59, 999999)) if d_hi else None
    ds = strings(attrs.get(date_kw))
    if not ds:
        return False
    date = stored_value("DA", ds[0])
    if date is None:
        return False
    ts = strings(attrs.get(time_kw))
    time = stored_value("TM", ts[0]) if ts else None
    if time is None:
        start = datetime.datetime.combine(date, datetime.time(0, 0))
        end = datetime.datetime.combine(date, datetime.time(23, 59, 59, 999999))
        return (hi is None or start <= hi) and (lo is None or end >= lo)
    return in_range((lo, hi), datetime.datetime.combine(date, time))


def matches(attrs, keys, combined):
    """attrs: {keyword: DataElement}; keys: {keyword: value or [item]}."""
    skip = set()
    for kw, key in keys.items():
        if kw in skip:
            continue
        if combined:
            tkw = time_keyword(kw)
            if tkw and combined_applies(keys, kw, tkw):
                skip.add(tkw)
                if not combined_match(attrs, key, keys[tkw], kw, tkw):
                    return False
                continue
            if kw.endswith("Time") and any(time_keyword(d) == kw and combined_applies(keys, d, kw) for d in keys):
                continue
        if not match_key(attrs, kw, key, combined):
            return False
    return True


def match_key(attrs, kw, key, combined):
    vr = vr_of(kw)
    if universal(vr, key):
        return True
    elem = attrs.get(kw)
    if vr == "SQ":
        if elem is None or elem.VR != "SQ":
            return False
        return any(matches(item_attrs(item), key[0], combined) for item in elem.value)
    stored = strings(elem)
    if not stored:
        return False
    return any(match_value(vr, k, v) for k in key_values(vr, key) for v in stored)


def item_attrs(item):
    return {e.keyword: e for e in item if e.keyword}


# ------------------------------------------------------------------ recording

class Entity:
    def __init__(self, level, uid, parent, order):
        self.level, self.uid, self.parent, self.order = level, uid, parent, order
        self.attrs = {}
        self.children = []
        self.sop_class = None


def level_elements(ds, levels, level):
    out = {}
    for elem in ds:
        kw = elem.keyword
        if not kw or kw in NOT_ENTITY or kw in DERIVED or elem.tag.group <= 2 or elem.tag == 0x7FE00010:
            continue
        if levels.get(kw, "IMAGE") == level:
            out[kw] = elem
    return out


def fill_gaps(base, addition):
    merged = dict(base)
    for kw, elem in addition.items():
        if is_empty(merged.get(kw)) and not is_empty(elem):
            merged[kw] = elem
    return merged


def element(ds, kw):
    return ds.data_element(kw) if kw in ds else None


def uid(ds, kw):
    v = ds.get(kw)
    return "" if v is None else str(v).strip(" \0")


def identity(patient):
    pid = strings(patient.get("PatientID"))
    if pid:
        issuer = strings(patient.get("IssuerOfPatientID"))
        return "ID\\" + pid[0] + "\\" + (issuer[0] if issuer else "")
    name = strings(patient.get("PatientName"))
    birth = strings(patient.get("PatientBirthDate"))
    return "NAME\\" + (name[0] if name else "") + "\\" + (birth[0] if birth else "")


class Archive:
    def __init__(self, levels):
        self.levels = levels
        self.patients = {}
        self.studies = {}
        self.series = {}
        self.instances = {}
        self.order = 0

    def new(self, level, key, parent):
        self.order += 1
        e = Entity(level, key, parent, self.order)
        if parent:
            parent.children.append(e)
        return e

    def record(self, ds):
        uids = [uid(ds, k) for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID")]
        if any(u == "" or len(u) > 64 for u in uids):
            return "refused"
        pid = strings(element(ds, "PatientID"))
        issuer = strings(element(ds, "IssuerOfPatientID"))
        if (pid and len(pid[0]) > 256) or (issuer and len(issuer[0]) > 256):
            return "refused"
        study_uid, series_uid, sop_uid, sop_class = uids
        if sop_uid in self.instances:
            return "duplicate"
        parts = {lvl: level_elements(ds, self.levels, lvl) for lvl in LEVELS}
        series = self.series.get(series_uid)
        study = self.studies.get(study_uid)
        if series is not None and (study is None or series.parent is not study):
            return "refused"
        if study is None:
            ident = identity(parts["PATIENT"])
            patient = self.patients.get(ident)
            if patient is None:
                patient = self.new("PATIENT", ident, None)
                patient.attrs = parts["PATIENT"]
                self.patients[ident] = patient
            else:
                patient.attrs = fill_gaps(parts["PATIENT"], patient.attrs)
            study = self.new("STUDY", study_uid, patient)
            study.attrs = parts["STUDY"]
            self.studies[study_uid] = study
        else:
            study.parent.attrs = fill_gaps(study.parent.attrs, parts["PATIENT"])
            study.attrs = fill_gaps(study.attrs, parts["STUDY"])
        if series is None:
            series = self.new("SERIES", series_uid, study)
            series.attrs = parts["SERIES"]
            self.series[series_uid] = series
        else:
            series.attrs = fill_gaps(series.attrs, parts["SERIES"])
        inst = self.new("IMAGE", sop_uid, series)
        inst.attrs = parts["IMAGE"]
        inst.sop_class = sop_class
        self.instances[sop_uid] = inst
        return "recorded"

    # derived attributes as strings

    def derived(self, e):
        out = {}
        if e.level == "PATIENT":
            studies = e.children
            series = [r for s in studies for r in s.children]
            out["NumberOfPatientRelatedStudies"] = [str(len(studies))]
            out["NumberOfPatientRelatedSeries"] = [str(len(series))]
            out["NumberOfPatientRelatedInstances"] = [str(sum(len(r.children) for r in series))]
        elif e.level == "STUDY":
            out["NumberOfStudyRelatedSeries"] = [str(len(e.children))]
            out["NumberOfStudyRelatedInstances"] = [str(sum(len(r.children) for r in e.children))]
            out["ModalitiesInStudy"] = sorted({strings(r.attrs.get("Modality"))[0] for r in e.children
                                               if strings(r.attrs.get("Modality"))})
            out["SOPClassesInStudy"] = sorted({i.sop_class for r in e.children for i in r.children})
        elif e.level == "SERIES":
            out["NumberOfSeriesRelatedInstances"] = [str(len(e.children))]
        return out

    def chain(self, e):
        out = []
        while e is not None:
            out.append(e)
            e = e.parent
        return list(reversed(out))

    def merged(self, e):
        """Attributes of the entity and its ancestors, derived ones as DataElements."""
        attrs = {}
        for x in self.chain(e):
            attrs.update(x.attrs)
            for kw, values in self.derived(x).items():
                vr = "IS" if kw.startswith("Number") else ("CS" if kw == "ModalitiesInStudy" else "UI")
                attrs[kw] = DataElement(pydicom.datadict.tag_for_keyword(kw), vr, values)
        return attrs


# ------------------------------------------------------------------ queries

UNIQUE = {"PATIENT": None, "STUDY": "StudyInstanceUID", "SERIES": "SeriesInstanceUID", "IMAGE": "SOPInstanceUID"}


def entities(archive, level):
    table = {"PATIENT": archive.patients, "STUDY": archive.studies, "SERIES": archive.series,
             "IMAGE": archive.instances}[level]
    return sorted(table.values(), key=lambda e: e.order)


def result_key(archive, e):
    if e.level == "PATIENT":
        a = e.attrs
        return "|".join(canonical(vr_of(k), strings(a.get(k))) for k in ("PatientID", "PatientName"))
    return e.uid


def run_query(archive, levels, q):
    level = q["level"]
    depth = LEVELS.index(level)
    keys = {kw: v for kw, v in q["keys"].items()
            if kw not in NOT_ENTITY and LEVELS.index(DERIVED.get(kw, levels.get(kw, "IMAGE"))) <= depth}
    found = []
    for e in entities(archive, level):
        if matches(archive.merged(e), keys, q.get("combined", False)):
            found.append(result_key(archive, e))
    offset, limit = q.get("offset", 0), q.get("limit", 0)
    page = found[offset:offset + limit] if limit else found[offset:]
    return {"name": q["name"], "matches": page, "limitReached": bool(limit) and len(found) > offset + limit,
            "total": len(found)}


# ------------------------------------------------------------------ comparison data

COMPARED = {
    "STUDY": ["PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex",
              "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances",
              "StudyDate", "StudyTime", "AccessionNumber", "StudyID", "StudyDescription", "ReferringPhysicianName",
              "PatientAge", "ModalitiesInStudy", "SOPClassesInStudy", "NumberOfStudyRelatedSeries",
              "NumberOfStudyRelatedInstances"],
    "SERIES": ["StudyInstanceUID", "Modality", "SeriesNumber", "SeriesDescription", "BodyPartExamined", "SeriesDate",
               "NumberOfSeriesRelatedInstances"],
    "IMAGE": ["StudyInstanceUID", "SeriesInstanceUID", "SOPClassUID", "InstanceNumber", "ImageType", "Rows",
              "Columns", "ContentDate", "ContentTime", "SliceThickness", "WindowCenter"],
}


def compared_values(archive, level):
    out = {}
    for e in entities(archive, level):
        attrs = archive.merged(e)
        row = {}
        for kw in COMPARED[level]:
            vr = vr_of(kw)
            if kw in ("StudyInstanceUID", "SeriesInstanceUID"):
                chain = {x.level: x.uid for x in archive.chain(e)}
                row[kw] = chain["STUDY" if kw == "StudyInstanceUID" else "SERIES"]
                continue
            values = strings(attrs.get(kw))
            if kw in ("ModalitiesInStudy", "SOPClassesInStudy"):
                values = sorted(values)
            row[kw] = canonical(vr, values)
        out[e.uid] = row
    return out


def main():
    files_txt, queries_json, levels_json, out_json = sys.argv[1:5]
    with open(levels_json, encoding="utf-8") as f:
        levels = json.load(f)
    with open(queries_json, encoding="utf-8") as f:
        queries = json.load(f)
    with open(files_txt, encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    archive = Archive(levels)
    outcomes = []
    for path in files:
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
            ds.decode()
        except Exception as e:  # noqa: BLE001 - every reason pydicom has counts as unreadable
            outcomes.append({"path": path, "outcome": "unreadable", "reason": type(e).__name__})
            continue
        outcomes.append({"path": path, "outcome": archive.record(ds)})
    patients = sorted("|".join([canonical("LO", strings(p.attrs.get("PatientID"))),
                                canonical("PN", strings(p.attrs.get("PatientName")))]
                               + [v[0] for v in archive.derived(p).values()])
                      for p in archive.patients.values())
    result = {
        "files": outcomes,
        "patients": patients,
        "studies": compared_values(archive, "STUDY"),
        "series": compared_values(archive, "SERIES"),
        "instances": compared_values(archive, "IMAGE"),
        "queries": [run_query(archive, levels, q) for q in queries],
    }
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
