"""A scripted demo patron: opens chats and asks questions typical of the PIKI consortium."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import uuid

import aiohttp

QUESTIONS = [
    ("tampere", "fi", "Hei! Unohdin kirjastokorttini PIN-koodin, miten saan uuden?"),
    ("nokia", "fi", "Voinko uusia lainani vielä kerran, vaikka joku on varannut sen?"),
    ("akaa", "fi", "Mistä näen paljonko minulla on maksuja?"),
    ("ylojarvi", "fi", "Onko kirjasto auki juhannuksena?"),
    ("tampere", "sv", "Hej, hur reserverar jag en bok?"),
    ("kangasala", "en", "Hi, can I borrow e-books with my library card?"),
    ("tampere", "fi", "Varaukseni on ollut noudettavissa, mutta en löydä sitä hyllystä"),
    ("orivesi", "fi", "En pääse kirjautumaan verkkokirjastoon, mikä neuvoksi?"),
]


async def one_chat(url: str, library: str, lang: str, question: str) -> None:
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        await ws.send_json(
            {
                "type": "hello",
                "library": library,
                "lang": lang,
                "session": None,
                "page": "http://127.0.0.1/demo/search.html",
            }
        )
        await ws.send_json({"type": "message", "id": str(uuid.uuid4()), "text": question})
        async for msg in ws:
            frame = json.loads(msg.data)
            print(library, frame, flush=True)
            if frame.get("type") == "message" and frame.get("from") == "bot":
                await ws.send_json({"type": "handoff"})
            if frame.get("type") == "message" and frame.get("from") == "librarian":
                await asyncio.sleep(random.uniform(2, 6))
                await ws.send_json(
                    {"type": "message", "id": str(uuid.uuid4()), "text": "Kiitos paljon, tämä auttoi!"}
                )
            if frame.get("type") == "state" and frame.get("state") == "ended":
                return


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", required=True, help="the bridge's WebSocket URL")
    p.add_argument("--every", type=float, default=45.0, help="seconds between new chats")
    args = p.parse_args()
    tasks = set()
    for library, lang, question in QUESTIONS * 10:
        task = asyncio.create_task(one_chat(args.url, library, lang, question))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        await asyncio.sleep(args.every)


if __name__ == "__main__":
    asyncio.run(main())
