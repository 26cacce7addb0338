"""Seed an empty database with N realistic releases for `make bench`.

    .venv/bin/python bench/seed.py --count 10000

Part of the benchmark, not of the product: it lives in bench/, and runs as a Django
command object outside any app (`main()` below; tests use `call_command(Command(), …)`).

What a release gets: a French body of about 2,300 characters built from a pool of
sentences, 1–3 photos from the library (each with its renditions), 2–4 quotes by
speakers of the press room, 5–10 tags from a pool of 500, one or two press contacts.
About 2 % of the releases are drafts, scheduled or withdrawn, so the visibility rule
has something to filter. Speakers and tags are skewed like a real press room: the
president is quoted far more often than a deputy, "Économie" is used more than
"Thermalisme".

Speed (N=100,000 in minutes, not hours):
- everything is written with bulk_create, in chunks, one transaction per chunk;
- Pillow runs only for a small pool of real photos (`--pool`, 20 by default), saved
  through the normal Photo.save(), which writes the cleaned master and its renditions.
  The library's other photos are rows that point at those files, each with its own
  Rendition rows, so tables have the size of a real library without decoding
  100,000 images. Deleting one of those photos would delete files other rows share:
  this is a benchmark database, never a real one;
- `search_document` is what articles.discovery.search.document_for() would compute, built from
  pieces folded once (fold() is character by character, so folding the pieces and
  joining them gives the same text as folding the joined text).

The command only adds: it refuses a database that already has articles, so it can
never mix with real content. bench/run.py drops and recreates its own database.
"""

from __future__ import annotations

if __name__ == "__main__":  # run as a script: Django is set up before the models are imported
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()

import random
import time
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.caching import page_cache
from articles.discovery.search import fold
from articles.models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Rendition, Speaker, TaggedArticle

# ---------------------------------------------------------------------------------------------
# Vocabulary. Drawn from the demo release (Occitanie in Kyoto) and the usual matter of a
# regional press room; embedded here because the project cannot read shared/ at run time.
# ---------------------------------------------------------------------------------------------
PLACES = [
    "Toulouse", "Montpellier", "Nîmes", "Perpignan", "Béziers", "Narbonne", "Carcassonne", "Albi", "Sète",
    "Castres", "Rodez", "Tarbes", "Lourdes", "Auch", "Cahors", "Montauban", "Foix", "Mende", "Alès",
    "Millau", "Figeac", "Pamiers", "Lunel", "Agde", "Lézignan-Corbières", "Saint-Gaudens", "Villefranche-de-Rouergue",
    "Bagnères-de-Bigorre", "Limoux", "Gaillac", "Lodève", "Uzès", "Quillan", "Céret", "Prades", "Moissac",
    "Kyoto", "Tokyo", "Barcelone", "Québec", "Bruxelles", "Munich", "Casablanca", "Montréal", "Osaka", "Lisbonne",
]
COMPANIES = [
    "Vogo", "Sigfox", "Kyocera", "Horiba Médical", "Panasonic", "Airbus", "Latécoère", "Pierre Fabre",
    "Occitanie Ouest Solaire", "Genfit Sud", "Ateliers de la Garonne", "Coopérative des Vignerons d'Alaric",
    "Domaine de la Clape", "Laboratoires du Larzac", "Toulouse Tech Transfer", "Méditerranée Éolien",
    "Biscuiterie de Castelnaudary", "Aérospace Valley", "Les Chais de Limoux", "Cévennes Bois Énergie",
    "Hydrogène Pyrénées", "Roquefort Société", "Manufacture de Tarbes", "Nîmes Métropole Numérique",
    "Pôle Mer Méditerranée", "Agri Sud-Ouest Innovation", "Start-up Lauragais", "Verrerie de Carmaux",
]
SECTORS = [
    "l'aéronautique", "le spatial", "l'agroalimentaire", "la viticulture", "le tourisme", "le numérique",
    "la santé", "les énergies renouvelables", "l'hydrogène vert", "la pêche", "l'agriculture biologique",
    "la filière bois", "le thermalisme", "l'économie sociale et solidaire", "la recherche", "l'enseignement supérieur",
    "les transports", "le ferroviaire", "la culture", "le sport", "l'apprentissage", "l'industrie",
]
AMOUNTS = ["150 000 €", "420 000 €", "1,2 million d'euros", "2,5 millions d'euros", "800 000 €", "15 millions d'euros",
           "3 millions d'euros", "95 000 €", "40 millions d'euros", "600 000 €", "7,8 millions d'euros"]
COUNTS = ["12", "21", "35", "48", "60", "150", "200", "320", "1 200", "3 500"]

SENTENCES = [
    "Les trois premiers jours de ce déplacement ont été marqués par la mise en place d’accords entre entreprises et des coopérations concrètes avec {place}.",
    "À {place}, la Région Occitanie / Pyrénées-Méditerranée accompagne {company} à hauteur de {amount} pour développer {sector}.",
    "Cette aide permettra la création de {count} emplois d’ici trois ans sur le territoire.",
    "La présidente de Région s’est également entretenue avec la direction de {company}, qui réalise une grande part de son chiffre d’affaires à {place}.",
    "Economie toujours avec la confirmation de la collaboration entre {company} et {company2}, entreprise spécialisée dans {sector}.",
    "Le projet s’inscrit dans le Pacte vert pour l’Occitanie, qui consacre {amount} à la transition écologique.",
    "Les élus régionaux ont adopté à l’unanimité ce dispositif lors de la commission permanente.",
    "{count} entreprises de la région ont déjà choisi de se développer à {place}.",
    "Afin de renforcer les liens qui unissent la Région et {place}, un accord de coopération a été signé à l’échelle de la nouvelle grande région.",
    "Le salon a réuni plus de {count} exposants venus de toute l’Occitanie et de l’étranger.",
    "La Région finance à hauteur de {amount} la rénovation du lycée de {place}, qui accueillera ses élèves dès la rentrée.",
    "Ce programme vise à soutenir {sector} en favorisant l’innovation et l’export.",
    "Les candidatures sont ouvertes jusqu’à la fin du mois sur le site de la Région.",
    "La nouvelle ligne de train régional reliera {place} à {place2} en moins d’une heure.",
    "Un tarif à un euro sera proposé aux jeunes de moins de 26 ans sur l’ensemble du réseau liO.",
    "Les agriculteurs touchés par la sécheresse pourront bénéficier d’une aide d’urgence de {amount}.",
    "Ce partenariat ouvre de nouvelles perspectives pour {sector} dans les départements ruraux.",
    "Les travaux débuteront au printemps et s’achèveront dans un délai de dix-huit mois.",
    "L’Agence de développement économique AD’OCC accompagnera {company} dans sa recherche de financements.",
    "Le territoire compte désormais {count} start-up labellisées dans {sector}.",
    "Ces investissements témoignent de la vitalité de notre territoire et de l’attractivité de {place}.",
    "Des territoires où la tradition, la culture et le patrimoine se marient harmonieusement avec la modernité et l’innovation.",
    "La Maison de la Région de {place} accueillera une réunion publique pour présenter le projet aux habitants.",
    "Le plan prévoit l’installation de {count} bornes de recharge pour véhicules électriques.",
    "Les partenaires se retrouveront à {place} à l’automne pour un premier bilan.",
    "Cette signature concrétise plusieurs mois de travail entre les services de la Région et {company}.",
    "Avec {amount}, la Région est le premier financeur public de {sector} en Occitanie.",
    "La délégation régionale a visité le site de production de {company} à {place}.",
    "Le festival, soutenu par la Région, attend plus de {count} 000 visiteurs cette année.",
    "Le dispositif Occitanie Rebond aide les entreprises fragilisées à traverser la crise.",
    "Les lycéens de {place} pourront participer à des échanges avec leurs homologues de {place2}.",
    "Une enveloppe de {amount} est réservée aux communes de moins de 3 000 habitants.",
    "La Région rappelle son engagement pour une alimentation locale dans les cantines des lycées.",
    "Les chercheurs du laboratoire de {place} travaillent depuis cinq ans sur ce procédé.",
    "Ce nouvel équipement renforcera l’offre de soins dans les zones les moins bien desservies.",
    "Le port de {place} bénéficiera de travaux de modernisation financés par la Région.",
    "Le label Sud de France accompagne désormais {count} producteurs à l’international.",
    "La saison touristique s’annonce prometteuse pour {place} et ses environs.",
    "Les habitants sont invités à donner leur avis lors de la consultation citoyenne en ligne.",
    "Cette initiative illustre la volonté de la Région de rapprocher l’action publique des citoyens.",
]
HEADINGS = ["Un soutien concret", "Des emplois sur le territoire", "Les prochaines étapes", "Une coopération renforcée",
            "Chiffres clés", "Un projet pour la jeunesse", "Innovation et export", "Calendrier"]
TITLES = [
    "{place} : la Région soutient {company} dans {sector}",
    "La Région Occitanie investit {amount} à {place}",
    "{company} s’implante à {place} avec le soutien de la Région",
    "Coopération : la Région Occitanie et {place} signent un accord",
    "{sector_cap} : un plan régional de {amount}",
    "Déplacement de la présidente de Région à {place}",
    "Commission permanente : {count} projets soutenus, dont {company}",
    "Rentrée : la Région inaugure le lycée de {place}",
]
QUOTES = [
    "C’est une opportunité exceptionnelle pour {company} qui accède ainsi à l’ensemble de son marché.",
    "Notre région, comme celle de {place}, aime son histoire mais reste tournée vers l’avenir.",
    "Nous avons consolidé une coopération fructueuse qui repose sur des actions concrètes, bénéfiques pour nos territoires.",
    "Ces {count} emplois sont une excellente nouvelle pour {place} et pour toute l’Occitanie.",
    "La Région sera toujours aux côtés de celles et ceux qui innovent dans {sector}.",
    "À nous de susciter et d’encourager tous ces échanges.",
    "Avec {amount}, nous faisons le choix de l’avenir et de la transition écologique.",
    "Cette aide arrive au bon moment : elle nous permet d’investir et d’embaucher.",
    "Nos lycéens méritent des établissements modernes, accueillants et sobres en énergie.",
    "Le train du quotidien est notre priorité : plus de trains, plus souvent, moins cher.",
]
CAPTIONS = [
    "Signature de l’accord de coopération à {place}", "Visite du site de {company} à {place}",
    "La délégation régionale à {place}", "Inauguration du lycée de {place}", "Le port de {place} au petit matin",
    "Vignes près de {place}", "Conférence de presse à l’Hôtel de Région de Toulouse", "Le salon de {sector} à {place}",
]
FIRST_NAMES = ["Carole", "Jean", "Marie", "Didier", "Nadia", "Kamel", "Sophie", "Pierre", "Agnès", "Vincent", "Claire",
               "Thierry", "Isabelle", "Jalil", "Virginie", "Laurent", "Emma", "Hugo", "Léa", "Mathieu", "Hélène", "Keiji",
               "Fatima", "Olivier", "Christine", "Marc", "Julie", "Stéphane", "Anne", "Benoît", "Camille", "Yves"]
LAST_NAMES = ["Delga", "Codorniou", "Bouvier", "Martin", "Roques", "Benkhaled", "Durand", "Garcia", "Fabre", "Laurent",
              "Yamada", "Lefèvre", "Rouquette", "Pujol", "Vidal", "Bonnet", "Castel", "Mercier", "Arnaud", "Sicard",
              "Blanc", "Fournier", "Cazals", "Marty", "Salvetat", "Bastide", "Escande", "Galtier", "Rey", "Amiel"]
ROLES = ["présidente de la Région Occitanie / Pyrénées-Méditerranée", "vice-président en charge de l’économie",
         "vice-présidente en charge des transports", "conseillère régionale", "directeur général", "présidente",
         "maire", "gouverneur de la préfecture de Kyoto", "chercheuse", "agricultrice", "proviseur", "fondateur"]
THEMES = [
    "Économie", "Agriculture", "Viticulture", "Tourisme", "Transports", "Ferroviaire", "Lycées", "Apprentissage",
    "Formation", "Emploi", "Santé", "Numérique", "Recherche", "Innovation", "Export", "International", "Culture",
    "Sport", "Patrimoine", "Environnement", "Biodiversité", "Eau", "Énergie", "Hydrogène", "Solaire", "Éolien",
    "Mer", "Pêche", "Montagne", "Ruralité", "Jeunesse", "Égalité", "Solidarité", "Logement", "Mobilité", "Vélo",
    "Aéronautique", "Spatial", "Industrie", "Artisanat", "Commerce", "Alimentation", "Forêt", "Climat", "Europe",
    "Coopération", "Langues régionales", "Occitan", "Catalan", "Thermalisme", "Cinéma", "Musique", "Festivals",
    "Handicap", "Citoyenneté", "Démocratie", "Budget", "Fonds européens", "Start-up", "Entreprises",
]
QUALIFIERS = ["régional", "durable", "2030", "en Occitanie", "de proximité", "et territoires", "solidaire", "innovant"]
CREDIT_NAMES = ["Nicolas Datiche", "Antoine Darnaud", "Laurent Boutonnet", "Emmanuel Grimault", "Région Occitanie",
                "Florian Launette", "Sylvie Roche", "Manu Mauss", "Pascal Xicluna", "Agence Hans Lucas", "Jean-Luc Auriol",
                "Mairie de Toulouse", "Lucie Bonnet", "Cyril Chaussade", "Studio Garonne", "Guillaume Fraysse"]


def sector_cap(sector: str) -> str:
    bare = sector.split(" ", 1)[1] if " " in sector else sector.split("'", 1)[-1]
    return bare[:1].upper() + bare[1:]


def _fill(rng: random.Random, template: str) -> str:
    place, place2 = rng.sample(PLACES, 2)
    company, company2 = rng.sample(COMPANIES, 2)
    sector = rng.choice(SECTORS)
    return template.format(
        place=place, place2=place2, company=company, company2=company2, sector=sector, sector_cap=sector_cap(sector),
        amount=rng.choice(AMOUNTS), count=rng.choice(COUNTS),
    )


def tag_names(n: int = 500) -> list[str]:
    """n distinct tag names: themes, places, then theme + qualifier."""
    names = list(dict.fromkeys(THEMES + PLACES))
    for qualifier in QUALIFIERS:
        for theme in THEMES:
            names.append(f"{theme} {qualifier}")
    seen, unique = set(), []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            unique.append(name)
    return unique[:n]


def make_jpeg(rng: random.Random, width: int, height: int) -> bytes:
    """A photo-like JPEG (gradients and noise), so files and renditions have realistic sizes."""
    from PIL import Image

    base = Image.radial_gradient("L").resize((width, height)).point(lambda v: (v + rng.randrange(256)) % 256)
    noise = Image.effect_noise((width, height), rng.randrange(20, 60))
    grad = Image.linear_gradient("L").resize((width, height)).rotate(rng.choice([0, 90, 180, 270]))
    buf = BytesIO()
    Image.merge("RGB", (base, noise, grad)).save(buf, "JPEG", quality=88)
    return buf.getvalue()


class Folded:
    """A text and its folded form, computed once."""

    __slots__ = ("text", "folded")

    def __init__(self, text: str):
        self.text = text
        self.folded = fold(text)


class Command(BaseCommand):
    help = "Seed an empty database with N realistic releases (bulk inserts) for `make bench`."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="Number of articles (default 10,000).")
        parser.add_argument("--pool", type=int, default=20, help="Real photos made with Pillow, shared by the library.")
        parser.add_argument("--photo-size", default="1800x1200", help="Size of the pool's photos, WIDTHxHEIGHT.")
        parser.add_argument("--non-public-share", type=float, default=0.02,
                            help="Share of drafts, scheduled and withdrawn releases (default 0.02).")
        parser.add_argument("--chunk", type=int, default=2000, help="Articles per transaction.")
        parser.add_argument("--seed", type=int, default=6, help="Random seed: the same seed gives the same content.")

    def handle(self, *args, count, pool, photo_size, non_public_share, chunk, seed, **options):
        if count < 1 or pool < 1:
            raise CommandError("--count and --pool must be at least 1.")
        if Article.objects.exists():
            raise CommandError("This database already has articles; bench/seed.py only fills an empty database.")
        started = time.perf_counter()
        rng = random.Random(seed)
        self.rng = rng
        width, height = (int(v) for v in photo_size.lower().split("x"))

        self.sentences = [Folded(_fill(rng, rng.choice(SENTENCES))) for _ in range(3000)]
        self.headings = [Folded(h) for h in HEADINGS]
        self.places = [Folded(p) for p in PLACES]
        self.quote_texts = [Folded(_fill(rng, rng.choice(QUOTES))) for _ in range(400)]

        credits = self._credits()
        contacts = self._contacts()
        speakers = self._speakers(max(20, count // 200))
        tags = self._tags()
        t0 = time.perf_counter()
        library = self._library(count, pool, width, height, credits)
        self.stdout.write(
            f"Photo library: {pool} real photos (Pillow), {len(library)} photo rows, "
            f"{Rendition.objects.count()} renditions in {time.perf_counter() - t0:.1f} s"
        )

        speaker_weights = [1 / (i + 1) ** 0.9 for i in range(len(speakers))]
        tag_weights = [1 / (i + 1) ** 0.6 for i in range(len(tags))]
        now = timezone.now()
        # Newest first from an hour ago, one release every ~40 minutes backwards:
        # 100,000 releases span about 7.6 years.
        non_public_every = int(1 / non_public_share) if non_public_share > 0 else 0
        done = 0
        while done < count:
            size = min(chunk, count - done)
            with transaction.atomic():
                self._chunk(done, size, now, non_public_every, speakers, speaker_weights, tags, tag_weights,
                            library, contacts)
            done += size
            if count >= 5 * chunk and (done // chunk) % 5 == 0 or done == count:
                self.stdout.write(f"  {done}/{count} articles, {time.perf_counter() - started:.0f} s")

        # Fresh statistics, as autovacuum/a DBA would give a real database; without them the
        # first minutes of a benchmark measure the planner's guesses, not the site.
        with connection.cursor() as cursor:
            # VACUUM also sets the visibility map, which index-only scans (deep pages) rely on.
            # (It cannot run inside a transaction, as in the tests: there ANALYZE alone.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        # Bulk inserts send no signals: retire every cached page and count explicitly.
        page_cache.bump_generation()
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {count} articles ({Article.objects.public().count()} public) in {time.perf_counter() - started:.1f} s"
        ))

    # -- pools --------------------------------------------------------------------------------

    def _credits(self) -> list[Credit]:
        Credit.objects.bulk_create(
            [Credit(name=name, slug=slugify(name), organisation="" if i % 3 else "Région Occitanie")
             for i, name in enumerate(CREDIT_NAMES)]
        )
        return list(Credit.objects.order_by("id"))

    def _contacts(self) -> list[PressContact]:
        PressContact.objects.bulk_create([
            PressContact(name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}", role="Service de presse",
                         email=f"presse{i}@laregion.example", phone=f"05 61 33 5{i} {10 + i}")
            for i in range(6)
        ])
        return list(PressContact.objects.order_by("id"))

    def _speakers(self, n: int) -> list[Speaker]:
        names = list(dict.fromkeys(f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES))
        self.rng.shuffle(names)
        names = ["Carole Delga"] + [x for x in names if x != "Carole Delga"]
        rows, slugs = [], set()
        for i, name in enumerate(names[:n]):
            slug = slugify(name)
            while slug in slugs:
                slug += "-2"
            slugs.add(slug)
            role = ROLES[0] if i == 0 else self.rng.choice(ROLES[1:])
            organisation = "" if i == 0 else self.rng.choice(COMPANIES + ["Région Occitanie"])
            rows.append(Speaker(name=name, role=role, organisation=organisation, slug=slug))
        Speaker.objects.bulk_create(rows)
        speakers = list(Speaker.objects.order_by("id"))
        # name, role, organisation as document_for() reads them
        self.speaker_folds = {s.pk: [fold(x) for x in (s.name, s.role, s.organisation) if x] for s in speakers}
        return speakers

    def _tags(self) -> list[Tag]:
        names = tag_names(500)
        Tag.objects.bulk_create([Tag(name=name, slug=Tag().slugify(name)) for name in names])
        by_name = {t.name: t for t in Tag.objects.filter(name__in=names)}
        tags = [by_name[name] for name in names]
        self.tag_folds = {t.pk: fold(t.name) for t in tags}
        return tags

    def _library(self, count: int, pool: int, width: int, height: int, credits: list[Credit]) -> list[Photo]:
        """`pool` real photos through Photo.save(), then library rows sharing their files and renditions."""
        rng = self.rng
        real = []
        for i in range(pool):
            photo = Photo(
                image=SimpleUploadedFile(f"banc-{i}.jpg", make_jpeg(rng, width, height), "image/jpeg"),
                caption=_fill(rng, rng.choice(CAPTIONS)), alt_text="Photo d'illustration du communiqué",
                credit=rng.choice(credits), licence="Usage presse uniquement",
            )
            # Cleans the master; its renditions job runs here and now (not in a worker), so that
            # the library rows below can share them.
            with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
                photo.save()
            real.append(photo)
        renditions = {p.pk: list(p.renditions.all()) for p in real}

        extra = max(0, (count * 2) // 3 - pool)
        rows = [
            Photo(image=source.image.name, width=source.width, height=source.height,
                  caption=_fill(rng, rng.choice(CAPTIONS)), alt_text="Photo d'illustration du communiqué",
                  credit=rng.choice(credits), licence=source.licence, focal_x=rng.random(), focal_y=rng.random(),
                  files_version=1, files_ready_version=1)  # sharing the source's finished renditions
            for source in (real[i % pool] for i in range(extra))
        ]
        sources = [real[i % pool] for i in range(extra)]
        for start in range(0, extra, 5000):
            with transaction.atomic():
                created = Photo.objects.bulk_create(rows[start:start + 5000])
                Rendition.objects.bulk_create(
                    [Rendition(photo_id=photo.pk, spec=r.spec, file=r.file.name, width=r.width, height=r.height)
                     for photo, source in zip(created, sources[start:start + 5000], strict=True)
                     for r in renditions[source.pk]],
                    batch_size=5000,
                )
        library = real + rows
        credit_folds = {c.pk: fold(c.name) for c in credits}
        self.photo_folds = {p.pk: [x for x in (fold(p.caption), credit_folds[p.credit_id]) if x] for p in library}
        return library

    # -- articles -----------------------------------------------------------------------------

    def _body(self) -> tuple[str, list[str]]:
        """HTML of about 2,300 characters of text, and the folded pieces of its plain text."""
        rng = self.rng
        target = rng.randint(1850, 2450)  # the last paragraph overshoots: ~2,300 on average
        html, folded, length, paragraphs = [], [], 0, 0
        while length < target:
            if paragraphs in (3, 6) and rng.random() < 0.6:
                heading = rng.choice(self.headings)
                html.append(f"<h2>{heading.text}</h2>")
                folded.append(heading.folded)
            picked = [rng.choice(self.sentences) for _ in range(rng.randint(2, 4))]
            html.append("<p>" + " ".join(s.text for s in picked) + "</p>")
            folded.append(" ".join(s.folded for s in picked))
            length += sum(len(s.text) + 1 for s in picked)
            paragraphs += 1
        return "".join(html), folded

    def _weighted_distinct(self, items, weights, k):
        picked = {}
        while len(picked) < k:
            for item in self.rng.choices(items, weights=weights, k=k - len(picked)):
                picked.setdefault(item.pk, item)
        return list(picked.values())

    def _chunk(self, offset, size, now, non_public_every, speakers, speaker_weights, tags, tag_weights, library,
               contacts):
        rng = self.rng
        articles, plans = [], []
        for i in range(offset, offset + size):
            title = _fill(rng, rng.choice(TITLES))
            standfirst = rng.choice(self.sentences)
            location = rng.choice(self.places)
            body, body_folded = self._body()
            publish_at = now - timedelta(hours=1) - timedelta(minutes=40 * i + rng.randrange(30))
            status, first_published_at, withdrawn_at = Article.Status.PUBLISHED, publish_at, None
            if non_public_every and i % non_public_every == non_public_every // 2:
                kind = (i // non_public_every) % 3
                if kind == 0:
                    status, publish_at, first_published_at = Article.Status.DRAFT, None, None
                elif kind == 1:  # scheduled: under embargo until a future minute
                    publish_at = now + timedelta(days=1 + i % 30)
                    first_published_at = None
                else:
                    status, withdrawn_at = Article.Status.WITHDRAWN, now - timedelta(days=1)

            article_tags = self._weighted_distinct(tags, tag_weights, rng.randint(5, 10))
            quote_speakers = [rng.choices(speakers, weights=speaker_weights)[0] for _ in range(rng.randint(2, 4))]
            quote_texts = [rng.choice(self.quote_texts) for _ in quote_speakers]
            photos = rng.sample(library, rng.randint(1, 3))
            article_contacts = rng.sample(contacts, rng.randint(1, 2))

            # Same parts, in the same order, as articles.discovery.search.document_for().
            parts = [fold(title), standfirst.folded, " ".join(body_folded), location.folded]
            parts += [self.tag_folds[t.pk] for t in article_tags]
            for speaker, text in zip(quote_speakers, quote_texts, strict=True):
                parts += [text.folded, *self.speaker_folds[speaker.pk]]
            for photo in photos:
                parts += self.photo_folds[photo.pk]

            articles.append(Article(
                title=title, slug=f"{slugify(title)[:180]}-{i + 1}", standfirst=standfirst.text, body=body,
                location=location.text, language="fr", status=status, publish_at=publish_at,
                first_published_at=first_published_at, withdrawn_at=withdrawn_at,
                # Announced long ago, like a real archive: the first worker must not fire 100,000 "went live".
                went_live_at=publish_at if status == Article.Status.PUBLISHED and publish_at <= now else None,
                withdrawal_reason="Communiqué retiré à la demande du partenaire." if withdrawn_at else "",
                search_document=" ".join(p for p in parts if p),
            ))
            plans.append((article_tags, quote_speakers, quote_texts, photos, article_contacts))

        Article.objects.bulk_create(articles, batch_size=500)
        quotes, tagged, placements, contact_links = [], [], [], []
        ContactLink = Article.press_contacts.through
        for article, (article_tags, quote_speakers, quote_texts, photos, article_contacts) in zip(
            articles, plans, strict=True
        ):
            quotes += [Quote(article_id=article.pk, speaker_id=s.pk, text=t.text, position=n)
                       for n, (s, t) in enumerate(zip(quote_speakers, quote_texts, strict=True))]
            tagged += [TaggedArticle(content_object_id=article.pk, tag_id=t.pk) for t in article_tags]
            placements += [ArticlePhoto(article_id=article.pk, photo_id=p.pk, position=n) for n, p in enumerate(photos)]
            contact_links += [ContactLink(article_id=article.pk, presscontact_id=c.pk) for c in article_contacts]
        Quote.objects.bulk_create(quotes, batch_size=2000)
        TaggedArticle.objects.bulk_create(tagged, batch_size=5000)
        ArticlePhoto.objects.bulk_create(placements, batch_size=5000)
        ContactLink.objects.bulk_create(contact_links, batch_size=5000)


def main(argv: list[str]) -> None:
    Command().run_from_argv(["bench/seed.py", "seed", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
