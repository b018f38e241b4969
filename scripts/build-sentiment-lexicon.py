#!/usr/bin/env python3
"""Builds src/domain/sentiment/lexicon.tsv, the word list the sentiment scorer reads, from two published
lexicons fetched from PyPI (run it again to refresh; the output is committed):

- VADER's lexicon and emoji descriptions (vaderSentiment 3.3.2, MIT licence, Hutto & Gilbert 2014):
  the base, on VADER's scale of -4 to +4.
- AFINN-165 (Finn Årup Nielsen; in the afinn 0.1 package, ODbL 1.0): words neither of the others
  rates, put on VADER's scale by the least-squares factor fitted on shared words. Because it includes
  AFINN, the generated lexicon as a whole is made available under the ODbL 1.0.
- Pattern's English adjective lexicon (as shipped in TextBlob 0.20.1; De Smedt & Daelemans, PDDL):
  words VADER lacks, with their polarity (-1 to +1, averaged over senses) put on VADER's scale by the
  least-squares factor fitted on the words both lexicons rate, then halved: these words were rated
  by two annotators for movie reviews, not by VADER's panel of twenty for social text, and many are
  descriptive ("cold", "able") more than evaluative.

Emoji are rated by their descriptions' words, as VADER does at run time. The repository's own retail
phrases live in the Rust code (src/domain/sentiment/mod.rs), not here.

Usage: python3 scripts/build-sentiment-lexicon.py   (needs pip and PyPI)
"""
import collections, os, subprocess, sys, tarfile, tempfile, zipfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "domain", "sentiment", "lexicon.tsv")

def fetch(spec, tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, spec], check=True)
    name = spec.split("==")[0].lower()
    wheel = next(f for f in os.listdir(tmp) if f.lower().startswith(name) and f.endswith(".whl"))
    return zipfile.ZipFile(os.path.join(tmp, wheel))

def fetch_afinn(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", tmp, "afinn==0.1"], check=True)
    sdist = next(f for f in os.listdir(tmp) if f.startswith("afinn") and f.endswith(".tar.gz"))
    with tarfile.open(os.path.join(tmp, sdist)) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("AFINN-en-165.txt"))
        return tar.extractfile(member).read().decode("utf-8")

def main():
    with tempfile.TemporaryDirectory() as tmp:
        vader = fetch("vaderSentiment==3.3.2", tmp)
        blob = fetch("textblob==0.20.1", tmp)
        afinn_text = fetch_afinn(tmp)
        lex_text = vader.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
        emoji_text = vader.read("vaderSentiment/emoji_utf8_lexicon.txt").decode("utf-8")
        pattern_xml = blob.read("textblob/en/en-sentiment.xml")

    vader_lex = {}
    for line in lex_text.splitlines():
        parts = line.strip().split("\t")
        if len(parts) >= 2 and parts[0]:
            vader_lex[parts[0]] = float(parts[1])

    senses = collections.defaultdict(list)
    for w in ET.fromstring(pattern_xml).iter("word"):
        form = w.get("form", "").lower()
        if form and " " not in form:
            senses[form].append(float(w.get("polarity", "0")))
    pattern = {w: sum(p) / len(p) for w, p in senses.items()}

    both = [(pattern[w], vader_lex[w]) for w in pattern if w in vader_lex and pattern[w] != 0]
    factor = sum(p * v for p, v in both) / sum(p * p for p, _ in both)
    added = 0
    # Descriptive words Pattern rates by a figurative sense ("green" as inexperienced, "cold" as
    # unfriendly) that in shop talk describe the goods: colours, sizes, temperatures, ages.
    descriptive = set("""green red blue black white yellow orange purple pink brown grey gray navy beige gold silver
        cold hot warm cool old new young big small large little long short tall thin thick wide narrow heavy light
        full empty able base familiar far complete whole real dry wet soft hard high low deep flat round square
        many much more most few other several same different next last own such certain main general""".split())
    merged = dict(vader_lex)
    from_pattern = set()
    for w, p in pattern.items():
        if w not in merged and abs(p) >= 0.1 and w.isalpha() and w not in descriptive:
            merged[w] = round(p * factor * 0.5, 2)
            from_pattern.add(w)
            added += 1

    afinn = {}
    for line in afinn_text.splitlines():
        if "\t" in line:
            word, score = line.rsplit("\t", 1)
            afinn[word] = float(score)
    shared = [(afinn[w], vader_lex[w]) for w in afinn if w in vader_lex]
    afinn_factor = sum(a * v for a, v in shared) / sum(a * a for a, _ in shared)
    from_afinn = set()
    for w, a in afinn.items():
        if w not in merged and "\t" not in w:
            merged[w] = round(a * afinn_factor, 2)
            from_afinn.add(w)

    emoji = {}
    for line in emoji_text.splitlines():
        parts = line.strip().split("\t")
        if len(parts) < 2:
            continue
        score = sum(merged.get(word, 0.0) for word in parts[1].lower().split())
        if score:
            emoji[parts[0]] = round(score, 2)

    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Sentiment lexicon: token <TAB> valence (-4 to +4) <TAB> source. Generated by scripts/build-sentiment-lexicon.py;\n")
        f.write("# do not edit. Sources: VADER 3.3.2 (MIT, C.J. Hutto), Pattern's English lexicon (PDDL, T. De Smedt) and\n")
        f.write("# AFINN-165 (ODbL 1.0, F. Å. Nielsen). This lexicon as a whole is made available under the ODbL 1.0.\n")
        for w in sorted(merged):
            if "\t" not in w and "\n" not in w:
                source = "pattern" if w in from_pattern else "afinn" if w in from_afinn else "vader"
                f.write(f"{w}\t{merged[w]:g}\t{source}\n")
        for e in sorted(emoji):
            f.write(f"{e}\t{emoji[e]:g}\temoji\n")
    print(f"{len(vader_lex)} VADER entries, {added} from Pattern (factor {factor:.2f} on {len(both)} shared words), "
          f"{len(from_afinn)} from AFINN (factor {afinn_factor:.2f}), {len(emoji)} emoji -> {OUT}")

if __name__ == "__main__":
    main()
