"""The pages the benchmark loads: one list, read by bench/run.py (wrk) and bench/queries.py (SQL
queries), from the spec bench/seed.py writes."""

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Scenario:
    name: str
    host: str
    path: str
    cached: bool = True  # False: never served from the page cache (/healthz)


def page_scenarios(spec):
    site, head, target = spec["site"], spec["head"], spec["target"]
    pages = spec["pages"]
    comments = spec["sizes"]["comments"]
    word = quote(spec["search_word"])
    return [
        Scenario("home page", site, "/"),
        Scenario("blog index, page 1", site, pages["blog"]),
        Scenario("blog index, page 10", site, f"{pages['blog']}?page=10"),
        Scenario(f"post, {comments} comments", site, pages["commented_post"]),
        Scenario("post, 500 comments", site, pages["big_post"]),
        Scenario("shared post on a target site", target, pages["shared_post"]),
        Scenario("network news", head, pages["news"]),
        Scenario("site search", site, f"/search/?q={word}"),
        Scenario("network search", head, f"/search/?q={word}&scope=network"),
        Scenario("sitemap.xml", site, "/sitemap.xml"),
        Scenario("RSS feed", site, f"{pages['blog']}feed/rss/"),
        Scenario("/healthz", site, "/healthz", cached=False),
    ]
