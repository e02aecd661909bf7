"""Every route over real HTTP, the token (query, cookie, Bearer) and the WebSocket origin."""

import json

import pytest
from tests.web.webkit import PAGES, Mjpeg, connect, fetch, http_url, receive, run, serving
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClosedError

from burro.web.video import CONTENT_TYPE

TOKEN = "s3cret-t0ken"


def test_the_pages_and_static_files(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            root = await fetch(http_url(part, "/?x=1"))
            assert root.code == 302 and root.headers["Location"] == "/drive?x=1"
            drive = await fetch(http_url(part, "/drive"))
            assert drive.code == 200 and drive.body.decode() == PAGES["drive.html"]
            assert drive.headers["Content-Type"].startswith("text/html")
            calibrate = await fetch(http_url(part, "/calibrate"))
            assert calibrate.body.decode() == PAGES["calibrate.html"]
            script = await fetch(http_url(part, "/static/drive.js"))
            assert script.code == 200 and script.body.decode() == PAGES["drive.js"]
            assert (await fetch(http_url(part, "/static/nothing.js"))).code == 404
            assert (await fetch(http_url(part, "/static/../app.py"))).code in (403, 404)
            assert (await fetch(http_url(part, "/nowhere"))).code == 404

        run(client())


def test_a_missing_page_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    with serving(static_path=tmp_path / "empty") as part:
        reply = run(fetch(http_url(part, "/drive")))
        assert reply.code == 404 and b"drive.html is not installed" in reply.body


def test_the_package_serves_its_own_static_folder():
    from burro.web.app import STATIC, WebSettings

    assert WebSettings().static_path == STATIC and STATIC.name == "static"
    assert STATIC.parent.name == "web"


def test_no_debug_mode(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            reply = await fetch(http_url(part, "/drive"), method="POST", body="[")
            assert reply.code == 400 and b"Traceback" not in reply.body

        run(client())
        assert part.server._http.request_callback.settings["debug"] is False


ROUTES = ["/", "/drive", "/calibrate", "/static/drive.js", "/video"]


@pytest.mark.parametrize("path", ROUTES)
def test_with_a_token_every_route_is_refused_without_it(tmp_path, path):
    with serving(tmp_path, token=TOKEN) as part:
        async def client():
            for headers in ({}, {"Authorization": "Bearer wrong"},
                            {"Cookie": "burro_token=wrong"}):
                reply = await fetch(http_url(part, path), headers=headers)
                assert reply.code == 403 and b"needs its token" in reply.body
            wrong = await fetch(http_url(part, f"{path}?token=nope"))
            assert wrong.code == 403
            post = await fetch(http_url(part, "/drive"), method="POST", body='{"angle": 1}')
            assert post.code == 403
            assert part.state.angle == 0.0

        run(client())


@pytest.mark.parametrize("path", ["/wsDrive", "/wsTelemetry", "/wsCalibrate"])
def test_with_a_token_every_websocket_is_refused_without_it(tmp_path, path):
    with serving(tmp_path, token=TOKEN) as part:
        async def client():
            with pytest.raises(HTTPClientError) as refused:
                await connect(part, path)
            assert refused.value.code == 403
            with pytest.raises(HTTPClientError):
                await connect(part, path, query="token=wrong")
            for kwargs in ({"query": f"token={TOKEN}"},
                           {"headers": {"Authorization": f"Bearer {TOKEN}"}},
                           {"headers": {"Cookie": f"burro_token={TOKEN}"}}):
                ws = await connect(part, path, **kwargs)
                assert await receive(ws) is not None
                ws.close()

        run(client())


def test_the_page_opened_with_the_token_sets_the_cookie_that_lets_the_rest_in(tmp_path):
    with serving(tmp_path, token=TOKEN) as part:
        async def client():
            page = await fetch(http_url(part, f"/drive?token={TOKEN}"))
            assert page.code == 200
            cookie = page.headers["Set-Cookie"]
            assert cookie.startswith(f"burro_token={TOKEN}")
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            sent = {"Cookie": f"burro_token={TOKEN}"}
            assert (await fetch(http_url(part, "/static/drive.js"), headers=sent)).code == 200
            bearer = {"Authorization": f"Bearer {TOKEN}"}
            post = await fetch(http_url(part, "/drive"), method="POST", headers=bearer,
                               body='{"angle": 0.5}')
            assert post.code == 200 and json.loads(post.body)["driver"] is True
            redirect = await fetch(http_url(part, f"/?token={TOKEN}"))
            assert redirect.headers["Location"] == f"/drive?token={TOKEN}"

        run(client())


def test_video_with_the_token(tmp_path):
    with serving(tmp_path, token=TOKEN) as part:
        async def client():
            for headers in ({"Authorization": f"Bearer {TOKEN}"},
                            {"Cookie": f"burro_token={TOKEN}"}):
                viewer = await Mjpeg.open(part, headers=headers)
                assert viewer.status == 200
                assert (await viewer.frame()).startswith(b"\xff\xd8")  # a JPEG
                viewer.close()
            viewer = await Mjpeg.open(part, f"/video?token={TOKEN}")
            assert viewer.status == 200
            viewer.close()

        run(client())


def test_a_websocket_from_another_origin_is_refused_a_listed_one_accepted(tmp_path):
    with serving(tmp_path, allowed_origins=("http://laptop.local:8000",)) as part:
        async def client():
            host = f"127.0.0.1:{part.port}"
            same = await connect(part, headers={"Origin": f"http://{host}"})
            assert await receive(same) == {"driveMode": "user"}
            same.close()
            with pytest.raises(HTTPClientError) as refused:
                await connect(part, headers={"Origin": "http://evil.example"})
            assert refused.value.code == 403
            with pytest.raises(HTTPClientError):  # same host, other port: another origin
                await connect(part, headers={"Origin": "http://127.0.0.1:1"})
            listed = await connect(part, "/wsTelemetry",
                                   headers={"Origin": "http://laptop.local:8000"})
            assert "hello" in await receive(listed)
            listed.close()
            script = await connect(part, "/wsCalibrate")  # no Origin: not a browser
            assert "config" in await receive(script)
            script.close()

        run(client())


def test_the_video_route_is_mjpeg(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            viewer = await Mjpeg.open(part)
            assert viewer.status == 200 and viewer.headers["content-type"] == CONTENT_TYPE
            viewer.close()

        run(client())


def test_a_closed_socket_is_not_written_to(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            ws = await connect(part)
            ws.close()
            with pytest.raises(WebSocketClosedError):
                await ws.write_message("{}")

        run(client())


def test_a_post_from_the_page_of_another_origin_is_refused(tmp_path):
    with serving(tmp_path, allowed_origins=("http://laptop.local:8000",)) as part:
        async def client():
            url = http_url(part, "/drive")
            evil = await fetch(url, method="POST", body='{"throttle": 1}',
                               headers={"Origin": "http://evil.example",
                                        "Content-Type": "text/plain"})
            assert evil.code == 403 and "another origin" in json.loads(evil.body)["error"]
            assert part.state.throttle == 0.0
            for origin in (f"http://127.0.0.1:{part.port}", "http://laptop.local:8000"):
                ok = await fetch(url, method="POST", body='{"throttle": 0.2}',
                                 headers={"Origin": origin})
                assert ok.code == 200

        run(client())
