"""The French and English press-prose vocabulary the quote attribution reads: offices,
speech verbs, courtesy titles and the words that are never part of a name."""

from __future__ import annotations

import re

# Nouns that designate a person by office: « la présidente de la Région », « le gouverneur ».
ROLE_NOUNS = sorted(
    set(
    """président présidente vice-président vice-présidente directeur directrice gouverneur gouverneure
    maire ministre secrétaire délégué déléguée conseiller conseillère préfet préfète adjoint adjointe
    porte-parole fondateur fondatrice cofondateur cofondatrice co-fondateur co-fondatrice PDG CEO
    patron patronne responsable chef cheffe sénateur sénatrice député députée ambassadeur ambassadrice
    consul consule recteur rectrice commissaire gérant gérante administrateur administratrice
    coordinateur coordinatrice représentant représentante dirigeant dirigeante élu élue proviseur proviseure
    doyen doyenne""".split()
    # English offices, as press offices write them ("Education Secretary X", "said Y, head of Z").
    + """president minister secretary director chair chairman chairwoman chairperson chief head leader
    mayor governor professor dean chancellor vice-chancellor provost spokesperson spokesman spokeswoman
    founder co-founder manager commissioner councillor councilor senator ambassador principal
    superintendent""".split()
    + ["chief executive officer", "chief executive", "chief constable", "managing director", "prime minister",
       "first minister", "secretary of state", "deputy mayor", "vice president"]
    ),
    key=len,
    reverse=True,
)
# "chief executive": any run of spaces between the words of a multi-word office.
_ROLE_PATTERN = "|".join(re.escape(noun).replace("\\ ", r"\s+") for noun in ROLE_NOUNS)
DESIGNATION = re.compile(
    r"(?<![\w’'-])(?:(?:le|la|the)\s+|l[’']\s*)?(?:(?:nouvelle|nouveau|nouvel|ancienne|ancien|actuelle|actuel)\s+)?"
    rf"(?P<noun>{_ROLE_PATTERN})(?![\w-])",
    re.IGNORECASE,
)
SPEECH_PAST = (
    "déclaré conclu ajouté souligné rappelé affirmé indiqué expliqué précisé estimé annoncé insisté commenté "
    "confié résumé poursuivi lancé martelé assuré noté observé relevé répondu témoigné détaillé déploré salué "
    "dit reconnu confirmé averti prévenu plaidé jugé considéré recommandé regretté dénoncé défendu réagi critiqué promis admis"
).split()
SPEECH_PRESENT = (
    "déclare conclut ajoute souligne rappelle affirme indique explique précise estime annonce insiste commente "
    "confie résume poursuit lance martèle assure note observe relève répond témoigne détaille déplore salue "
    "dit reconnaît confirme avertit prévient plaide juge considère recommande regrette dénonce défend réagit critique promet admet"
).split()
# English speech verbs: "X said", "said X", "X added:". Nouns as well ("notes", "states") are left out.
ENGLISH_SPEECH = (
    "said says added adds explained explains commented stated noted continued remarked announced "
    "emphasised emphasized stressed concluded insisted warned told"
).split()
_ADVERB = r"(?:[\w’']+ment|encore|alors|aussi|ainsi|même|déjà|bien|enfin|ensuite|d[’']ailleurs)"
SPEECH_VERB = re.compile(
    r"(?<![\w’'-])(?:"
    rf"(?:a|avait|aura|ont)(?:-t-(?P<p1>il|elle))?(?:\s+{_ADVERB})*\s+(?:{'|'.join(SPEECH_PAST)})(?:-(?:t-)?(?P<p2>il|elle))?"
    r"|s[’']est\s+(?:réjoui|félicité|exclamé)e?"
    rf"|(?:{'|'.join(SPEECH_PRESENT)})(?:-t-(?P<p3>il|elle)|-(?P<p4>il|elle))?"
    r"|se\s+(?:réjouit|félicite|exclame)"
    rf"|{'|'.join(ENGLISH_SPEECH)}"
    r")(?![\w-])",
    re.IGNORECASE,
)
# Right after a quote, any past participle reports the speech: "», a regretté X", "», a tempéré X".
AFTER_QUOTE_VERB = re.compile(
    rf"(?:a|avait)(?:-t-(?P<p1>il|elle))?(?:\s+{_ADVERB})*\s+[^\W\d_]+(?:é|ée|i|ie|u|ue|is|it)"
    r"(?:-(?:t-)?(?P<p2>il|elle))?(?P<p3>(?!))?(?P<p4>(?!))?(?![\w-])",
    re.IGNORECASE,
)
COURTESY = r"(?:M\.|MM\.|Mme|Mlle|Monsieur|Madame|Dr\.?|Pr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?|Sir|Dame)"
ACCORDING_TO = re.compile(rf"(?<![\w’'-])(?:selon|d[’']après|pour|according\s+to)\s+(?:{COURTESY}\s*)?$", re.IGNORECASE)
PRONOUN = re.compile(r"(?<![\w’'-])(?:elle|il|she|he)(?![\w’'-])", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][\w’'-]*")

# Capitalised words that start sentences or precede a name without being part of it.
NOT_NAME = set(
    """le la les un une des ce cet cette ces selon pour afin suite monsieur madame mademoiselle mme mlle
    et mais avec dans en au aux à a elle il nous notre nos leur leurs lors après avant depuis chez par sur
    sous entre vers outre enfin ainsi aussi puis de du d’ l’ c’est
    the a an this that these those in on at of for from to by and but with our we it its today his her their
    mr mrs ms dr prof sir dame lord lady press published""".split()
) | {n.lower() for n in ROLE_NOUNS}
NAME_PARTICLES = {"de", "du", "des", "van", "von", "da", "di", "del", "ben", "el", "le", "la"}
_ROLE_FILLER = {"de", "du", "des", "la", "le", "les", "à", "au", "aux", "en", "pour", "et", "/", "of", "for", "the", "at", "and"}


def _role_words(role: str) -> list[str]:
    words = re.findall(r"[\w-]+", re.sub(r"\b[dl][’']", " ", role.lower().replace("'", "’")).replace("’", " "))
    return [w for w in words if w not in _ROLE_FILLER]


def role_matches(designation: str, role: str) -> bool:
    """Whether a designation can name the holder of `role`: same office, nothing the role lacks.

    "présidente de Région" matches "présidente de la Région Occitanie / Pyrénées-Méditerranée";
    "président de la société Horiba Médical" does not (another office, another gender).
    """
    d, r = _role_words(designation), _role_words(role)
    return bool(d and r) and d[0] == r[0] and set(d) <= set(r)
