"""Demo conversations: approved threads with replies, a comment awaiting moderation and a spam
comment, so that the public thread and the moderation list both have something to show.

The project decides on which pages (hub/demo/network.py); this module only writes comments.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from comments.models import Comment, CommentStatus


@dataclass(frozen=True)
class DemoComment:
    name: str
    email: str
    body: str
    status: str = CommentStatus.APPROVED
    days_ago: float = 3
    url: str = ""
    spam_reason: str = ""
    replies: list["DemoComment"] = field(default_factory=list)


CONVERSATIONS = [
    [
        DemoComment(
            "Maëlle",
            "maelle@example.org",
            "Merci pour ce compte rendu ! Est-ce que les supports de l'atelier seront en ligne ?",
            days_ago=6,
            replies=[
                DemoComment(
                    "Youenn",
                    "youenn@example.org",
                    "Oui, d'ici la fin de la semaine sur la page Ressources.",
                    days_ago=5.5,
                    replies=[
                        DemoComment(
                            "Maëlle",
                            "maelle@example.org",
                            "Parfait, je les partagerai avec notre conseil d'administration.",
                            days_ago=5,
                            replies=[
                                DemoComment(
                                    "Soizic",
                                    "soizic@example.org",
                                    "Nous aussi, merci à toute l'équipe.",
                                    days_ago=4,
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
        DemoComment(
            "Coopérative du Trégor",
            "contact@tregor.example.org",
            "Nous organisons une rencontre similaire en mars, venez nombreux !\n"
            "Programme : https://tregor.example.org/rencontres",
            url="https://tregor.example.org/",
            days_ago=2,
        ),
        DemoComment(
            "Jean",
            "jean@example.org",
            "Une question sur l'adhésion : qui contacter ?",
            status=CommentStatus.PENDING,
            days_ago=0.2,
        ),
        DemoComment(
            "Promo",
            "offers@spam.example.com",
            "Cheap watches http://spam.example.com http://spam.example.com/2 "
            "http://spam.example.com/3",
            status=CommentStatus.SPAM,
            spam_reason="Too many links (3, at most 2).",
            days_ago=0.1,
        ),
    ],
    [
        DemoComment(
            "Nadia",
            "nadia@example.org",
            "Très utile pour notre projet d'épicerie solidaire.",
            days_ago=9,
            replies=[
                DemoComment(
                    "Paul",
                    "paul@example.org",
                    "Pareil ici, on a lancé un groupement d'achats l'an dernier.",
                    days_ago=8,
                )
            ],
        ),
        DemoComment(
            "Lucie",
            "lucie@example.org",
            "Pourriez-vous donner les horaires de la permanence ?",
            status=CommentStatus.PENDING,
            days_ago=0.5,
        ),
    ],
]


def seed_comments(page, conversation):
    """Write `conversation` (a list of DemoComment trees) on `page`, unless the page already has
    visitors' comments. Returns the number of comments written."""
    if Comment.objects.filter(page=page).exists():
        return 0
    now = timezone.now()
    written = 0

    def write(demo, parent):
        nonlocal written
        comment = Comment.objects.create(
            page=page,
            parent=parent,
            author_name=demo.name,
            email=demo.email,
            url=demo.url,
            body=demo.body,
            status=demo.status,
            spam_reason=demo.spam_reason,
        )
        # created_at is set on creation: move it back in time as the demo tells.
        created_at = now - datetime.timedelta(days=demo.days_ago)
        Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
        written += 1
        for reply in demo.replies:
            write(reply, comment)

    for demo in conversation:
        write(demo, None)
    return written
