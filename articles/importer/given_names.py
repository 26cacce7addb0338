"""Common given names in French and English press releases.

Only one question is asked of this list: in "a déclaré la présidente de Région Carole
Delga" or "Minister for School Standards Catherine McKinnell said", do the last
capitalised words name a person rather than end the office's complement? A name in
this list, followed by a surname, says yes; "Université Paul Sabatier" is still read as
an institution, since a person's name after such a word usually names the place.
An unlisted name is simply not split off: the quote then stays unattributed, with a
warning, rather than go to a wrong speaker.
"""

GIVEN_NAMES = frozenset(
    """
    agnès alain alexandra alexandre alexis alice aline amélie anne annie antoine arnaud astrid aurélie
    aurélien bernard benoît brigitte bruno camille carole caroline catherine cécile céline charles
    charlotte chantal christian christine christophe claire claude clément corinne damien daniel
    david delphine denis didier dominique édouard élisabeth elisabeth élise émilie emmanuel emmanuelle
    éric estelle étienne fabien fabienne florence florian françois françoise frédéric frédérique gabriel
    gaël geneviève georges gérald gérard gilles guillaume hélène henri hervé hugo isabelle jacques
    jacqueline jean jeanne jérôme joël josé julie julien juliette karine kamel laetitia laure laurence
    laurent léa lionel louis louise luc lucie magali manon marc marcel margaux marguerite marie marine
    marion martine mathieu matthieu maxime michaël michel michèle michelle mickaël monique muriel
    nadia nathalie nicolas noël olivier pascal pascale patrice patricia patrick paul paule philippe
    pierre rachida raphaël régis rémi renaud richard robert roland romain rémy sabine samuel sandrine
    sébastien serge sophie stéphane stéphanie sylvain sylvie thierry thomas valérie vincent virginie
    xavier yannick yves yvette zoé aurore agathe ségolène marisol roselyne najat fadila farida karim
    mohamed nordine rachid sarah jean-luc jean-marc jean-pierre jean-claude jean-michel jean-paul
    jean-louis jean-françois jean-noël jean-baptiste marie-claire marie-christine marie-france
    marie-hélène anne-marie anne-sophie pierre-yves
    adam adrian aisha alan albert alex alison amanda amy andrew andy angela ann anna anthony ben
    bev beverley bill bob bridget caroline carl catherine charlie chris christopher claire colin craig
    dan daniel darren david dawn deborah dominic ed edward eleanor elizabeth ellie emily emma eric
    fiona frances gareth gary gavin george gillian graham greg hannah harriet harry heidi helen henry
    ian jack jacqui james jane janet jason jennifer jenny jess jessica jim jo joanna joe john jonathan
    joseph josh julia justin karen kate katherine kathryn keir kemi kevin kim kirsty laura lee lisa
    liz louise lucy lynne maria mark martin mary matt matthew megan michael michelle mike nadine
    natalie neil nick nicola nigel oliver owen pat patrick paula peter philip phillip rachel rebecca
    richard rob robert robin rosie ruth ryan sadiq sally sam samantha sandra sarah scott shabana
    sharon simon sophie stephen steve steven stuart sue susan tessa thomas tim tom tony tracy
    victoria wes william yvette yvonne
    """.split()
)

# Institutions often named after a person: "Université Paul Sabatier", "Lycée Jean Moulin".
NAMED_AFTER_SOMEONE = frozenset(
    """université lycée collège école institut hôpital centre fondation rue avenue boulevard place
    stade musée parc salle espace gare pont quai square médiathèque bibliothèque théâtre
    university college school institute hospital centre center foundation street road avenue
    square stadium museum park hall library theatre bridge station""".split()
)


def is_given_name(word: str) -> bool:
    """"Jean-Luc", "Hélène", "Catherine": a known given name (a hyphenated one by its first part too)."""
    low = word.lower()
    return low in GIVEN_NAMES or low.split("-")[0] in GIVEN_NAMES
