"""The blog content of the demo network, created by `manage.py seed_demo` (see hub/demo/network.py).

Authors (with generated portraits), each of the site it writes for or of the whole network, and
network-wide categories, each with an English translation where the demo shows one, and six posts
a site written from a few patterns: each site's table gives the titles, dates, places and
organisations, each pattern the body around them. One Bretagne post is
translated into English through wagtail-localize, so that it stays a synchronised translation. The
head site gets the network news page (« Actualités du réseau »), in its menu.

Two posts are shared with other sites (SHARED_POSTS): a national one with every regional site, a
thematic one with Maillage Bretagne.

Idempotent like the rest of the demo: authors are keyed by name and locale, categories by slug and
locale, posts by blog and slug, images by title and collection; what exists is never changed, but
for the share settings of a SHARED_POSTS post that has none.
"""

import datetime
from dataclasses import dataclass, field
from html import escape
from zoneinfo import ZoneInfo

from django.core.files.images import ImageFile
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue

from blog import syndication
from blog.choices import ProposalStatus, ShareScope
from blog.models import (
    Author,
    BlogCategory,
    BlogIndexPage,
    BlogPostAuthor,
    BlogPostPage,
    NetworkNewsPage,
    RelatedPost,
    ShareProposal,
)
from sites.models import SiteKind, SiteSettings

BLOG_SLUG = "blog"
PUBLISHED_AT = datetime.time(9, 30)
PARIS = ZoneInfo("Europe/Paris")


# --- authors and categories ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    role: str
    bio: str
    role_en: str = ""  # with bio_en: the author also exists in English
    bio_en: str = ""
    site: str = ""  # the demo site (its slug) the author writes for; empty: the whole network

    @property
    def photo_name(self):
        return f"{slugify(self.name)}.png"


CAMILLE = DemoAuthor(
    "Camille Le Goff",
    "Chargée de mission ESS",
    "Camille accompagne depuis 2019 les associations et coopératives bretonnes dans leurs projets "
    "de développement, de Brest à Rennes. Elle anime le groupe de travail sur l'économie "
    "circulaire.",
    role_en="Social economy project officer",
    bio_en="Since 2019 Camille has helped associations and cooperatives across Brittany, from "
    "Brest to Rennes, to develop their projects. She leads the network's working group on the "
    "circular economy.",
    site="bretagne",
)
KARIM = DemoAuthor(
    "Karim Benali",
    "Délégué régional Île-de-France",
    "Ancien directeur d'une régie de quartier, Karim relie les acteurs franciliens de l'ESS aux "
    "collectivités et suit de près les tiers-lieux de Seine-Saint-Denis.",
    site="ile-de-france",
)
ELODIE = DemoAuthor(
    "Élodie Marchand",
    "Responsable emploi et insertion",
    "Élodie coordonne les actions du réseau pour l'emploi : parcours d'insertion, formation des "
    "encadrants techniques et relations avec les entreprises qui recrutent.",
)
MATHIEU = DemoAuthor(
    "Mathieu Garcia",
    "Animateur du réseau Occitanie",
    "Mathieu sillonne l'Occitanie, de Toulouse à Montpellier, pour faire se rencontrer "
    "coopératives, associations et porteurs de projet. Il est aussi sociétaire d'une SCIC "
    "agricole.",
    site="occitanie",
)
SOPHIE = DemoAuthor(
    "Sophie Nguyen",
    "Chargée de projets transition écologique",
    "Ingénieure de formation, Sophie aide les structures du réseau à réduire leur empreinte "
    "écologique et à monter des projets de réemploi, d'énergie citoyenne et d'alimentation "
    "durable.",
)
JULIEN = DemoAuthor(
    "Julien Moreau",
    "Délégué général du réseau",
    "Julien dirige l'équipe nationale de Maillage. Il représente le réseau auprès des pouvoirs "
    "publics et des financeurs de l'économie sociale et solidaire.",
    site="accueil",
)
# Élodie and Sophie co-sign posts of several sites (the patterns' coauthors): the network's.
AUTHORS = [CAMILLE, KARIM, ELODIE, MATHIEU, SOPHIE, JULIEN]


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    description: str
    slug_en: str
    name_en: str
    description_en: str


CATEGORIES = [
    DemoCategory(
        "emploi-et-insertion",
        "Emploi et insertion",
        "Recrutements, parcours d'insertion et formation dans les structures du réseau.",
        "jobs-and-inclusion",
        "Jobs and inclusion",
        "Recruitment, back-to-work schemes and training in the network's organisations.",
    ),
    DemoCategory(
        "transition-ecologique",
        "Transition écologique",
        "Réemploi, énergie citoyenne, alimentation durable : les projets qui changent la donne.",
        "ecological-transition",
        "Ecological transition",
        "Reuse, community energy, sustainable food: the projects that make a difference.",
    ),
    DemoCategory(
        "vie-du-reseau",
        "Vie du réseau",
        "Rencontres, appels à projets et nouvelles des membres.",
        "network-news",
        "Network news",
        "Gatherings, calls for projects and news from the members.",
    ),
    DemoCategory(
        "finance-solidaire",
        "Finance solidaire",
        "Épargne solidaire, prêts d'honneur et fonds pour les structures de l'ESS.",
        "solidarity-finance",
        "Solidarity finance",
        "Solidarity savings, interest-free loans and funds for social economy organisations.",
    ),
    DemoCategory(
        "cooperation",
        "Coopération",
        "SCIC, coopératives d'activité et mutualisations entre structures.",
        "cooperation",
        "Cooperation",
        "Cooperatives of collective interest, business and employment cooperatives, pooling.",
    ),
]


# --- post patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """The body of a kind of post, with {ville}, {structure}, {chiffre}, {sujet}, {lieu} and
    {site} to fill in ({de_sujet}, {a_sujet} and {de_structure} contract as French does: "du",
    "aux", "d'"...); `coauthor` signs with the site's author when they are not the same."""

    categories: tuple[str, ...]
    tags: tuple[str, ...]
    intro: str
    before: tuple[str, ...]
    heading: str
    after: tuple[str, ...]
    quote: str = ""
    quote_source: str = ""
    coauthor: DemoAuthor | None = None


PATTERNS = {
    "rencontres": Pattern(
        categories=("vie-du-reseau", "cooperation"),
        tags=("rencontres", "vie associative"),
        intro="Associations, coopératives et collectivités se sont retrouvées à {ville} pour "
        "parler {de_sujet}. Retour sur une journée riche en échanges.",
        before=(
            "Pour cette édition, {chiffre} participants ont répondu à l'invitation du réseau. "
            "Ateliers, visites de structures et tables rondes ont rythmé une journée consacrée "
            "{a_sujet}.",
            "Élus, salariés, bénévoles et porteurs de projet ont comparé leurs pratiques et sont "
            "repartis avec des contacts concrets.",
        ),
        heading="Des pistes pour l'année à venir",
        after=(
            "Trois chantiers ressortent des ateliers : mutualiser des locaux et du matériel, "
            "partager des outils de gestion, répondre à plusieurs aux marchés publics {lieu}.",
            "Les comptes rendus seront publiés sur ce blog. Pour rejoindre un groupe de travail, "
            "écrivez à l'équipe du site : son adresse figure en bas de chaque page.",
        ),
        quote="On repart avec des contacts et des idées à tester dès la rentrée.",
        quote_source="Une participante, {structure}",
    ),
    "insertion": Pattern(
        categories=("emploi-et-insertion",),
        tags=("insertion", "emploi"),
        intro="À {ville}, {structure} accompagne vers l'emploi des personnes qui en sont "
        "éloignées, autour {de_sujet}. Rencontre avec une équipe qui mise sur la durée.",
        before=(
            "Depuis sa création, {structure} a proposé {chiffre} parcours d'insertion. Chaque "
            "salarié est suivi par un encadrant technique et une conseillère, de l'accueil "
            "jusqu'à la sortie vers un emploi durable ou une formation qualifiante.",
        ),
        heading="Un modèle qui fait ses preuves",
        after=(
            "Plus de la moitié des personnes accompagnées trouvent un emploi ou une formation à "
            "la fin de leur parcours. Ce résultat repose sur des partenariats solides avec les "
            "entreprises du territoire, qui accueillent des stages et recrutent à l'issue des "
            "parcours.",
            "La structure recrute régulièrement des encadrants et des salariés en insertion : "
            "ses offres sont relayées sur le site Maillage Emploi.",
        ),
        quote="Ici, on apprend un métier, mais on reprend aussi confiance.",
        quote_source="Un salarié en parcours chez {structure}",
        coauthor=ELODIE,
    ),
    "transition": Pattern(
        categories=("transition-ecologique",),
        tags=("économie circulaire", "réemploi"),
        intro="À {ville}, {structure} mise sur {sujet} pour réduire les déchets et créer des "
        "emplois locaux.",
        before=(
            "Lancé il y a trois ans, le projet a déjà permis d'éviter {chiffre} de déchets. Les "
            "habitants y participent directement : ils apportent, réparent ou trient, avec l'aide "
            "de salariés et de bénévoles formés.",
        ),
        heading="Un modèle économique hybride",
        after=(
            "Les ventes couvrent près de la moitié du budget ; le reste vient de prestations pour "
            "les collectivités et d'un soutien de l'agence de la transition écologique.",
            "L'équipe partage volontiers ses outils avec les structures du réseau qui voudraient "
            "se lancer à leur tour.",
        ),
        quote="Le meilleur déchet, c'est celui qu'on ne produit pas.",
        quote_source="L'équipe {de_structure}",
        coauthor=SOPHIE,
    ),
    "finance": Pattern(
        categories=("finance-solidaire",),
        tags=("épargne solidaire", "financement"),
        intro="Doté de {chiffre}, un nouveau fonds porté par {structure} soutient {sujet} {lieu}. "
        "Les premières demandes peuvent être déposées dès maintenant.",
        before=(
            "Le fonds accorde des prêts à taux zéro et des garanties aux associations et "
            "coopératives qui peinent à obtenir un crédit bancaire classique. Il est alimenté par "
            "l'épargne solidaire de particuliers et par des collectivités partenaires.",
        ),
        heading="Qui peut en bénéficier ?",
        after=(
            "Toute structure de l'économie sociale et solidaire, quelle que soit sa taille, peut "
            "déposer un dossier dès lors qu'elle crée ou maintient des emplois {lieu}. Un chargé "
            "de mission aide à construire le plan de financement.",
            "Une réunion d'information aura lieu à {ville} ; l'inscription est gratuite.",
        ),
    ),
    "cooperation": Pattern(
        categories=("cooperation",),
        tags=("SCIC", "gouvernance"),
        intro="À {ville}, {structure} réunit salariés, usagers, collectivités et partenaires "
        "autour {de_sujet}. Une société coopérative d'intérêt collectif qui fait école.",
        before=(
            "Depuis son passage en SCIC l'an dernier, {structure} compte {chiffre} "
            "sociétaires. Chacun dispose d'une voix en assemblée générale, quel que soit le "
            "montant de ses parts.",
            "Ce partage du pouvoir a changé la façon de décider : les grands choix sont préparés "
            "en collèges, puis débattus ensemble.",
        ),
        heading="Ce qu'en retiennent les sociétaires",
        after=(
            "La coopérative a consolidé ses financements et gagné de nouveaux partenaires. Elle "
            "organise des visites pour les structures du réseau qui envisagent de changer de "
            "statut.",
        ),
        quote="Chacun a sa place autour de la table, et ça se voit dans les décisions.",
        quote_source="Un sociétaire {de_structure}",
    ),
    "appel": Pattern(
        categories=("vie-du-reseau", "finance-solidaire"),
        tags=("appel à projets",),
        intro="{site} et {structure} lancent un appel à projets consacré {a_sujet}. Les "
        "candidatures sont ouvertes jusqu'au {chiffre}.",
        before=(
            "L'appel s'adresse aux associations, coopératives, mutuelles et entreprises d'utilité "
            "sociale {lieu}. Les projets retenus bénéficieront d'un accompagnement de six mois et "
            "d'une aide au démarrage.",
        ),
        heading="Comment candidater",
        after=(
            "Le dossier tient en quatre pages : le besoin auquel répond le projet, les "
            "partenaires, le budget prévisionnel et les premiers résultats attendus.",
            "Une permanence téléphonique est ouverte chaque mardi, et une session d'information "
            "en ligne aura lieu en décembre.",
        ),
        coauthor=JULIEN,
    ),
}

# The English of the patterns that have an English post.
PATTERNS_EN = {
    "transition": Pattern(
        categories=(),
        tags=(),
        intro="In {ville}, {structure} is betting on {sujet} to cut waste and create local jobs.",
        before=(
            "Launched three years ago, the project has already kept {chiffre} of waste out of "
            "landfill. Residents take part directly: they bring, repair or sort, helped by trained "
            "staff and volunteers.",
        ),
        heading="A hybrid business model",
        after=(
            "Sales cover almost half of the budget; the rest comes from services sold to local "
            "authorities and support from the French ecological transition agency.",
            "The team is happy to share its tools with other organisations in the network that "
            "would like to follow suit.",
        ),
        quote="The best waste is the waste you never produce.",
        quote_source="The {structure} team",
    ),
}


# --- each site's posts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPost:
    pattern: str
    date: str  # ISO date
    title: str
    ville: str
    structure: str
    chiffre: str
    sujet: str
    related_to: str = ""  # the pattern of an earlier post of the same blog
    title_en: str = ""  # with values_en: translated into English with wagtail-localize
    values_en: dict = field(default_factory=dict)

    @property
    def slug(self):
        return slugify(self.title)[:80].rstrip("-")

    @property
    def slug_en(self):
        return slugify(self.title_en)[:80].rstrip("-")


@dataclass(frozen=True)
class SiteBlog:
    author: DemoAuthor
    lieu: str  # "en Bretagne": where the site's readers are, as the patterns use it
    tag: str
    posts: tuple[DemoPost, ...]


SITE_BLOGS = {
    "accueil": SiteBlog(
        JULIEN,
        "dans toute la France",
        "réseau national",
        (
            DemoPost(
                "rencontres",
                "2026-06-05",
                "Rencontres nationales : 400 acteurs de l'ESS réunis à Lyon",
                "Lyon",
                "la coopérative Les Ateliers du Lien",
                "400",
                "la place de l'économie sociale et solidaire dans les politiques locales",
            ),
            DemoPost(
                "insertion",
                "2026-07-09",
                "À Lille, Bâtir Ensemble forme aux métiers de la rénovation",
                "Lille",
                "Bâtir Ensemble",
                "350",
                "la rénovation énergétique des logements",
            ),
            DemoPost(
                "transition",
                "2026-08-27",
                "La Recyclerie du Canal a évité 140 tonnes de déchets",
                "Nantes",
                "la Recyclerie du Canal",
                "140 tonnes",
                "le réemploi des meubles et de l'électroménager",
            ),
            DemoPost(
                "finance",
                "2026-09-17",
                "Deux millions d'euros pour les associations employeuses",
                "Paris",
                "la Caisse solidaire Maillage",
                "2 millions d'euros",
                "les associations employeuses",
            ),
            DemoPost(
                "cooperation",
                "2026-10-15",
                "Pourquoi tant d'associations deviennent des SCIC",
                "Grenoble",
                "Alpes Partage",
                "180",
                "l'hébergement d'urgence",
                related_to="rencontres",
            ),
            DemoPost(
                "appel",
                "2026-11-12",
                "Appel à projets : coopérer entre villes et campagnes",
                "Paris",
                "la Fondation Terres Liées",
                "31 janvier 2027",
                "les coopérations entre territoires ruraux et urbains",
                related_to="cooperation",
            ),
        ),
    ),
    "ile-de-france": SiteBlog(
        KARIM,
        "en Île-de-France",
        "Île-de-France",
        (
            DemoPost(
                "rencontres",
                "2026-06-11",
                "Montreuil accueille le forum francilien de l'ESS",
                "Montreuil",
                "la régie de quartier Bel-Air",
                "250",
                "les tiers-lieux de quartier",
            ),
            DemoPost(
                "insertion",
                "2026-07-02",
                "Vélos et insertion : Roue Libre recrute à Saint-Denis",
                "Saint-Denis",
                "Roue Libre",
                "120",
                "la logistique à vélo",
            ),
            DemoPost(
                "transition",
                "2026-08-20",
                "À Ivry, une ressourcerie pour tout le quartier",
                "Ivry-sur-Seine",
                "la Ressourcerie des Quais",
                "60 tonnes",
                "la collecte et la revente d'objets du quotidien",
            ),
            DemoPost(
                "finance",
                "2026-09-24",
                "Un fonds d'avance pour les associations franciliennes",
                "Paris",
                "Île-de-France Solidaire",
                "800 000 euros",
                "la trésorerie des associations",
                related_to="rencontres",
            ),
            DemoPost(
                "cooperation",
                "2026-10-08",
                "À Pantin, la Cuisine Commune a choisi la SCIC",
                "Pantin",
                "la Cuisine Commune",
                "95",
                "la restauration collective bio et locale",
            ),
            DemoPost(
                "appel",
                "2026-11-05",
                "Appel à projets : tiers-lieux solidaires en Île-de-France",
                "Paris",
                "la Fondation Quartiers Vivants",
                "15 janvier 2027",
                "les tiers-lieux solidaires",
                related_to="rencontres",
            ),
        ),
    ),
    "bretagne": SiteBlog(
        CAMILLE,
        "en Bretagne",
        "Bretagne",
        (
            DemoPost(
                "rencontres",
                "2026-06-18",
                "Les rencontres bretonnes de l'ESS ont fait le plein à Rennes",
                "Rennes",
                "l'association Breizh Partage",
                "320",
                "la coopération entre associations et collectivités",
            ),
            DemoPost(
                "insertion",
                "2026-07-16",
                "À Brest, la Maison du Port forme aux métiers de la mer",
                "Brest",
                "la Maison du Port",
                "210",
                "la maintenance des bateaux",
            ),
            DemoPost(
                "transition",
                "2026-09-03",
                "Une recyclerie de matériel nautique à Lorient",
                "Lorient",
                "Ar Mor Réemploi",
                "35 tonnes",
                "la réparation de voiles, de cordages et de matériel nautique",
                title_en="A reuse centre for sailing gear in Lorient",
                values_en={"sujet": "repairing sails, ropes and sailing gear"},
            ),
            DemoPost(
                "finance",
                "2026-09-29",
                "Un fonds breton pour les coopératives de pêche et d'agriculture",
                "Quimper",
                "Bretagne Active Solidaire",
                "1,2 million d'euros",
                "les coopératives de pêche et d'agriculture",
            ),
            DemoPost(
                "cooperation",
                "2026-10-21",
                "Énergie citoyenne : la SCIC Avel Kerne fête ses cent sociétaires",
                "Quimperlé",
                "Avel Kerne",
                "100",
                "un parc éolien citoyen",
                related_to="transition",
            ),
            DemoPost(
                "appel",
                "2026-11-19",
                "Appel à projets : l'économie circulaire sur le littoral breton",
                "Vannes",
                "la Fondation Littoral Vivant",
                "28 février 2027",
                "l'économie circulaire sur le littoral",
                related_to="transition",
            ),
        ),
    ),
    "occitanie": SiteBlog(
        MATHIEU,
        "en Occitanie",
        "Occitanie",
        (
            DemoPost(
                "rencontres",
                "2026-06-25",
                "Toulouse : 280 acteurs aux rencontres occitanes de l'ESS",
                "Toulouse",
                "la coopérative Garonne Services",
                "280",
                "les circuits courts alimentaires",
            ),
            DemoPost(
                "insertion",
                "2026-07-23",
                "Des jardins d'insertion aux portes de Montpellier",
                "Montpellier",
                "l'association Les Jardins du Lez",
                "140",
                "le maraîchage biologique",
            ),
            DemoPost(
                "transition",
                "2026-08-13",
                "À Albi, le réemploi des matériaux de chantier décolle",
                "Albi",
                "Matériaux Solidaires du Tarn",
                "90 tonnes",
                "la récupération des matériaux de construction",
            ),
            DemoPost(
                "finance",
                "2026-09-10",
                "Un fonds régional pour les épiceries solidaires",
                "Toulouse",
                "Occitanie Finance Solidaire",
                "600 000 euros",
                "les épiceries solidaires",
                related_to="rencontres",
            ),
            DemoPost(
                "cooperation",
                "2026-10-29",
                "Dans l'Aveyron, une SCIC pour garder les commerces de village",
                "Rodez",
                "Bistrots de Pays Aveyron",
                "230",
                "le maintien des commerces en milieu rural",
            ),
            DemoPost(
                "appel",
                "2026-11-26",
                "Appel à projets : l'alimentation durable en Occitanie",
                "Montpellier",
                "la Fondation Terres d'Oc",
                "15 mars 2027",
                "l'alimentation durable",
                related_to="rencontres",
            ),
        ),
    ),
    "emploi": SiteBlog(
        ELODIE,
        "dans les territoires du réseau",
        "emploi",
        (
            DemoPost(
                "insertion",
                "2026-06-09",
                "Le réemploi de vêtements, tremplin vers l'emploi à Dijon",
                "Dijon",
                "Fil Solidaire",
                "260",
                "le tri des textiles",
            ),
            DemoPost(
                "rencontres",
                "2026-06-30",
                "Encadrants techniques : une journée pour partager les pratiques",
                "Orléans",
                "le chantier Val de Loire Insertion",
                "150",
                "le métier d'encadrant technique d'insertion",
            ),
            DemoPost(
                "insertion",
                "2026-08-06",
                "Services à la personne : Aide & Vous ouvre trente postes",
                "Clermont-Ferrand",
                "Aide & Vous",
                "480",
                "l'aide à domicile des personnes âgées",
                related_to="rencontres",
            ),
            DemoPost(
                "finance",
                "2026-09-15",
                "Un fonds pour créer des emplois dans les associations",
                "Paris",
                "le Fonds Emploi Solidaire",
                "1,5 million d'euros",
                "la création d'emplois associatifs",
            ),
            DemoPost(
                "cooperation",
                "2026-10-13",
                "Coopérative d'activité : entreprendre sans être seul",
                "Strasbourg",
                "Coop'Activités Rhin",
                "310",
                "l'accompagnement des entrepreneurs salariés",
            ),
            DemoPost(
                "appel",
                "2026-11-10",
                "Appel à projets : premiers emplois pour les jeunes",
                "Paris",
                "la Fondation Premier Pas",
                "31 janvier 2027",
                "l'accès des jeunes à un premier emploi",
                related_to="insertion",
            ),
        ),
    ),
    "transition": SiteBlog(
        SOPHIE,
        "dans les territoires du réseau",
        "transition écologique",
        (
            DemoPost(
                "transition",
                "2026-06-16",
                "Réparer plutôt que jeter : le Repair Café d'Angers s'agrandit",
                "Angers",
                "le Repair Café d'Angers",
                "25 tonnes",
                "la réparation de petits appareils",
            ),
            DemoPost(
                "rencontres",
                "2026-07-07",
                "Les journées de la transition solidaire à Bordeaux",
                "Bordeaux",
                "la coopérative Énergies Communes",
                "300",
                "l'énergie citoyenne",
            ),
            DemoPost(
                "cooperation",
                "2026-08-25",
                "Énergie citoyenne : une SCIC solaire sur les toits de Poitiers",
                "Poitiers",
                "Soleil Commun",
                "420",
                "la production d'électricité solaire",
                related_to="rencontres",
            ),
            DemoPost(
                "transition",
                "2026-09-22",
                "Compost partagé : Biocycle collecte les biodéchets de Tours",
                "Tours",
                "Biocycle",
                "200 tonnes",
                "la collecte des biodéchets à vélo",
            ),
            DemoPost(
                "finance",
                "2026-10-20",
                "Un fonds pour la rénovation énergétique des locaux associatifs",
                "Lyon",
                "Transition Solidaire Finance",
                "900 000 euros",
                "la rénovation des locaux associatifs",
            ),
            DemoPost(
                "appel",
                "2026-11-17",
                "Appel à projets : sobriété énergétique dans l'ESS",
                "Paris",
                "la Fondation Climat Commun",
                "28 février 2027",
                "la sobriété énergétique",
                related_to="transition",
            ),
        ),
    ),
}


# --- posts shared with other sites ---------------------------------------------------------------


@dataclass(frozen=True)
class DemoShare:
    """A post of one demo blog (by SITE_BLOGS key and title) shared with other sites: with every
    site of `scope`, and with the sites of `sites` (SITE_BLOGS keys). Its proposals are accepted
    unless `pending` (the demo shows a proposal waiting for an answer)."""

    origin: str
    title: str
    scope: str = ShareScope.NONE
    sites: tuple[str, ...] = ()
    pending: bool = False

    @property
    def slug(self):
        return slugify(self.title)[:80].rstrip("-")


SCOPE_NAMES = {
    ShareScope.REGIONAL: "every regional site",
    ShareScope.THEMATIC: "every thematic site",
    ShareScope.ALL: "every site",
}
SHARED_POSTS = (
    DemoShare(
        "accueil",
        "Deux millions d'euros pour les associations employeuses",
        scope=ShareScope.REGIONAL,
    ),
    DemoShare(
        "emploi",
        "Encadrants techniques : une journée pour partager les pratiques",
        sites=("bretagne",),
    ),
    DemoShare(
        "bretagne",
        "Les rencontres bretonnes de l'ESS ont fait le plein à Rennes",
        sites=("accueil",),
        pending=True,  # proposed to the head office, waiting for its answer
    ),
)


# --- seeding -------------------------------------------------------------------------------------


def seed_network(english, collection=None, portraits_dir=None, sites=None):
    """Authors, each of its site among `sites` ({demo slug: Site}) or the network's, with their
    portraits imported into `collection`, and categories, each with its English translation
    where the demo has one. Returns a list of (verb, description)."""
    french = Locale.objects.get(language_code="fr")
    changes = []
    for demo in AUTHORS:
        site = (sites or {}).get(demo.site)
        changes += _seed_author(demo, french, english, collection, portraits_dir, site)
    for demo in CATEGORIES:
        changes += _seed_category(demo, french, english)
    return changes


def seed_blog(site, key, english):
    """The posts of `site`'s blog from SITE_BLOGS[key], and their English translations.

    Needs seed_network() first. A site without a blog, or without content here, is left alone.
    """
    content = SITE_BLOGS.get(key)
    blog = BlogIndexPage.objects.child_of(site.root_page).filter(slug=BLOG_SLUG).first()
    if content is None or blog is None:
        return []
    names = [a.name for a in AUTHORS]
    authors = {a.name: a for a in Author.objects.filter(locale=blog.locale, name__in=names)}
    categories = {c.slug: c for c in BlogCategory.objects.filter(locale=blog.locale)}
    slugs = [p.slug for p in content.posts]
    existing = {p.slug: p for p in BlogPostPage.objects.child_of(blog).filter(slug__in=slugs)}
    posts, by_pattern, created = {}, {}, 0
    for demo in content.posts:
        post = existing.get(demo.slug)
        if post is None:
            post = _create_post(blog, site, content, demo, authors, categories, by_pattern)
            created += 1
        posts[demo.slug] = post
        by_pattern.setdefault(demo.pattern, post)

    plural = "s" if created > 1 else ""
    changes = [("created", f"{created} blog post{plural} on {site.site_name}")] if created else []
    for demo in content.posts:
        if demo.title_en:
            changes += _translate_post(blog, posts[demo.slug], site, content, demo, english)
    return changes


NETWORK_NEWS = {
    "title": "Actualités du réseau",
    "slug": "actualites",
    "intro": "Les derniers articles de tous les sites du réseau, à filtrer par site et par thème.",
}
NETWORK_NEWS_EN = {
    "title": "Network news",
    "slug": "network-news",
    "intro": "The latest posts of every site of the network, to filter by site and by theme.",
}


def seed_network_news(head_site, english):
    """The network news page in the head site's menu, and its English translation when the home
    page has one. Keyed by its type under the home page: an existing one is left as it is."""
    if head_site is None:
        return []
    home = head_site.root_page.specific
    changes = []
    news = NetworkNewsPage.objects.child_of(home).first()
    if news is None:
        news = NetworkNewsPage(**NETWORK_NEWS, locale=home.locale, show_in_menus=True)
        home.add_child(instance=news)
        news.save_revision().publish()
        changes.append(("created", f"page {news.title} of {head_site.site_name}"))
    if home.get_translation_or_none(english) is not None and not news.has_translation(english):
        strings = {news.title: NETWORK_NEWS_EN["title"], news.slug: NETWORK_NEWS_EN["slug"]}
        if news.intro == NETWORK_NEWS["intro"]:
            strings[news.intro] = NETWORK_NEWS_EN["intro"]
        translation = _localize(news, english, strings)
        changes.append(("created", f"page {translation.title} of {head_site.site_name}"))
    return changes


def seed_sharing(sites):
    """Share the SHARED_POSTS; `sites` maps SITE_BLOGS keys to the demo's Sites.

    Run after seed_blog(). A post that has share settings already is left as it is (an editor may
    have changed them); one without is shared through a published revision, as its editor would,
    which proposes it to its targets (blog.syndication): the regional sites accept what the head
    office shares automatically (set on those never proposed anything yet); the demo's other
    proposals are accepted here, but for the `pending` ones.
    """
    changes = []
    proposed_to = ShareProposal.objects.values("site_id")
    for site in sites.values():
        if getattr(getattr(site, "profile", None), "kind", None) == SiteKind.REGIONAL:
            SiteSettings.objects.filter(site=site).exclude(site_id__in=proposed_to).update(
                accept_from_head_office=True
            )
    for share in SHARED_POSTS:
        origin = sites.get(share.origin)
        targets = [sites[key] for key in share.sites if key in sites]
        if origin is None or len(targets) < len(share.sites):
            continue
        blog = BlogIndexPage.objects.child_of(origin.root_page).filter(slug=BLOG_SLUG).first()
        post = BlogPostPage.objects.child_of(blog).filter(slug=share.slug).first() if blog else None
        if post is None or post.share_scope != ShareScope.NONE or post.shared_sites.exists():
            continue
        post.share_scope = share.scope
        post.shared_sites = targets
        post.save_revision().publish()
        if not share.pending:
            for proposal in post.proposals.exclude(status=ProposalStatus.ACCEPTED):
                syndication.accept(proposal)
        names = [SCOPE_NAMES[share.scope]] if share.scope in SCOPE_NAMES else []
        names += [site.site_name for site in targets]
        changes.append(("shared", f"{post.title} ({origin.site_name}) with {', '.join(names)}"))
    return changes


def _seed_author(demo, french, english, collection, portraits_dir, site=None):
    changes = []
    author = Author.objects.filter(name=demo.name, locale=french).first()
    if author is None:
        author = Author.objects.create(
            name=demo.name, role=demo.role, bio=demo.bio, locale=french, site=site
        )
        changes.append(("created", f"author {demo.name}"))
    if author.photo_id is None and portraits_dir is not None:
        path = portraits_dir / demo.photo_name
        if path.exists():
            author.photo, imported = _portrait(demo, path, collection)
            author.save(update_fields=["photo"])
            if imported:
                changes.append(("imported", f"portrait of {demo.name}"))
    if demo.role_en and not author.has_translation(english):
        translation = author.copy_for_translation(english)
        translation.role, translation.bio = demo.role_en, demo.bio_en
        translation.save()
        changes.append(("created", f"English author {demo.name}"))
    return changes


def _portrait(demo, path, collection):
    """The portrait's image, imported unless an earlier run already did (keyed by title)."""
    Image = get_image_model()
    collection = collection or Collection.get_first_root_node()
    title = f"Portrait de {demo.name}"
    image = Image.objects.filter(title=title, collection=collection).first()
    if image is not None:
        return image, False
    with path.open("rb") as source:
        image = Image(title=title, file=ImageFile(source, name=path.name), collection=collection)
        image._set_image_file_metadata()
        image.save()
    return image, True


def _seed_category(demo, french, english):
    changes = []
    category = BlogCategory.objects.filter(slug=demo.slug, locale=french).first()
    if category is None:
        category = BlogCategory.objects.create(
            name=demo.name, slug=demo.slug, description=demo.description, locale=french
        )
        changes.append(("created", f"category {demo.name}"))
    if (
        not category.has_translation(english)
        and not BlogCategory.objects.filter(slug=demo.slug_en, locale=english).exists()
    ):
        translation = category.copy_for_translation(english)
        translation.name, translation.slug = demo.name_en, demo.slug_en
        translation.description = demo.description_en
        translation.save()
        changes.append(("created", f"category {demo.name_en}"))
    return changes


VOWELS = "aàâeéèêëiîïoôuûüyœ"


def _de(words):
    """`words` after "de", as French writes it: "du marché", "des SCIC", "d'Avel Kerne"."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if words.startswith(article):
            return contracted + words.removeprefix(article)
    return ("d'" if words[:1].lower() in VOWELS else "de ") + words


def _a(words):
    """`words` after "à", as French writes it: "au maraîchage", "aux tiers-lieux"."""
    for article, contracted in (("le ", "au "), ("les ", "aux ")):
        if words.startswith(article):
            return contracted + words.removeprefix(article)
    return "à " + words


def post_values(site_name, content, demo, **overrides):
    """What a post's pattern is filled in with; `overrides` for another language."""
    values = {
        "ville": demo.ville,
        "structure": demo.structure,
        "chiffre": demo.chiffre,
        "sujet": demo.sujet,
        "lieu": content.lieu,
        "site": site_name,
        **overrides,
    }
    return {
        **values,
        "de_sujet": _de(values["sujet"]),
        "a_sujet": _a(values["sujet"]),
        "de_structure": _de(values["structure"]),
    }


def post_texts(pattern, values):
    """The pattern's texts filled in, in the order the body shows them."""
    return {
        "intro": pattern.intro.format(**values),
        "before": [p.format(**values) for p in pattern.before],
        "heading": pattern.heading,
        "after": [p.format(**values) for p in pattern.after],
        "quote": pattern.quote,
        "quote_source": pattern.quote_source.format(**values),
    }


def _paragraphs(texts):
    return "".join(f"<p>{escape(text, quote=False)}</p>" for text in texts)


def _body(texts):
    body = [
        ("paragraph", _paragraphs(texts["before"])),
        ("heading", {"text": texts["heading"], "level": "h2"}),
        ("paragraph", _paragraphs(texts["after"])),
    ]
    if texts["quote"]:
        body.append(("quote", {"text": texts["quote"], "source": texts["quote_source"]}))
    return body


def _create_post(blog, site, content, demo, authors, categories, by_pattern):
    pattern = PATTERNS[demo.pattern]
    texts = post_texts(pattern, post_values(site.site_name, content, demo))
    date = datetime.date.fromisoformat(demo.date)
    post = BlogPostPage(
        title=demo.title,
        slug=demo.slug,
        locale=blog.locale,
        date=date,
        first_published_at=datetime.datetime.combine(date, PUBLISHED_AT, tzinfo=PARIS),
        intro=texts["intro"],
        body=_body(texts),
    )
    signers = [content.author]
    if pattern.coauthor and pattern.coauthor != content.author:
        signers.append(pattern.coauthor)
    post.post_authors = [BlogPostAuthor(author=authors[a.name]) for a in signers]
    post.categories = [categories[slug] for slug in pattern.categories if slug in categories]
    post.tags.add(*pattern.tags, content.tag)
    related = by_pattern.get(demo.related_to)
    if related is not None:
        post.related_links = [RelatedPost(related=related)]
    blog.add_child(instance=post)
    post.save_revision().publish()
    return post


def _translate_post(blog, post, site, content, demo, english):
    """Translate the blog, then the post, with wagtail-localize, giving it English strings."""
    changes = []
    if not blog.has_translation(english):
        _localize(blog, english, {blog.title: "Blog", blog.slug: BLOG_SLUG})
        changes.append(("created", f"English blog of {site.site_name}"))
    if post.has_translation(english):
        return changes
    pattern = PATTERNS[demo.pattern]
    french = post_texts(pattern, post_values(site.site_name, content, demo))
    english_texts = post_texts(
        PATTERNS_EN[demo.pattern], post_values(site.site_name, content, demo, **demo.values_en)
    )
    strings = {demo.title: demo.title_en, demo.slug: demo.slug_en}
    for key in ("intro", "heading", "quote", "quote_source"):
        strings[french[key]] = english_texts[key]
    for key in ("before", "after"):
        strings.update(zip(french[key], english_texts[key], strict=True))
    translation = _localize(post, english, strings)
    changes.append(("created", f"English post {translation.title} on {site.site_name}"))
    return changes


def _localize(page, locale, strings):
    """Translate `page` into `locale` as wagtail-localize does it from its editor, so that the
    translation stays synchronised with its source: `strings` maps each source text (title,
    slug, intro, paragraphs...) to its translation; a text without one keeps the source's.

    wagtail-localize publishes on transaction commit, and seed_demo runs in one transaction (as
    tests do): the translation is saved as a draft, then published here.
    """
    source, _created = TranslationSource.get_or_create_from_instance(page)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        text = StringValue(segment.string.data).render_text()
        if text in strings:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context_id=segment.context_id,
                defaults={
                    "data": StringValue.from_plaintext(strings[text]).data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    translation.save_target(publish=False)
    target = page.get_translation(locale).specific
    if target.first_published_at is None and page.first_published_at is not None:
        # The translation is dated like its source; publish() keeps a date already set.
        Page.objects.filter(pk=target.pk).update(first_published_at=page.first_published_at)
    target.get_latest_revision().publish()
    target.refresh_from_db()
    return target
