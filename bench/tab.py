"""A browser-less tab that can do what a mischievous visitor's browser does: open any page with any
link, click, fill widgets, upload files, close or reload mid-run, ask for deferred downloads.

Like bench_crowd.Session it speaks Streamlit's own websocket protocol (BackMsg / ForwardMsg), but a
reader task keeps every message it receives (widgets by id, alerts, exceptions, progress texts), so
a caller states what it waits for (`until`) instead of parsing the stream itself. Loopback only.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

ERROR, WARNING, INFO, SUCCESS = 1, 2, 3, 4  # streamlit.proto.Alert.Format
EARLY_FOR_RERUN = 2  # ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass
class Widget:
    """One widget the page drew: its id, its kind (the element's proto type) and what a client needs."""

    id: str
    kind: str
    label: str = ""
    options: list[str] = field(default_factory=list)  # a button group's option texts
    deferred_file_id: str = ""  # a download button whose file is made on click


class Tab:
    """One websocket session on the server at `port`, opened on `page` ("" is the lab) with `query`."""

    def __init__(self, port: int, query: str = "", page: str = ""):
        self.port, self.query, self.page = port, query, page
        self.ws = None
        self.session_id = ""
        self.page_hash = ""  # the page st.navigation chose; a browser sends it back, or the page "changes"
        self.widgets: dict[str, Widget] = {}
        self.alerts: list[tuple[int, str]] = []  # this script run's (format, body)
        self.exceptions: list[str] = []  # every exception element since the tab opened
        self.texts: list[str] = []  # markdown and captions of this script run
        self.progress = ""  # the last progress bar text
        self.finished = 0  # script runs that ended (not interrupted by a rerun)
        self.running = False
        self.page_not_found = False
        self.responses: dict[str, object] = {}  # backend operation responses by request id
        self._changed = asyncio.Event()
        self._reader: asyncio.Task | None = None

    async def open(self, timeout: float = 120) -> bool:
        """Connect and run the page once (as a browser does when the link is opened); False when the
        page did not finish within `timeout`."""
        import websockets

        self.ws = await websockets.connect(f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
                                           max_size=2**26, ping_interval=None, open_timeout=timeout)
        self._reader = asyncio.create_task(self._read())
        await self.rerun()
        return await self.idle(timeout)

    async def close(self) -> None:
        """Close the tab (as a visitor closing it mid-run does: no Stop, the socket just goes)."""
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def __aenter__(self) -> Tab:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # --- what the browser sends -------------------------------------------------------------------
    async def rerun(self, *states) -> None:
        """A script run with `states` (WidgetState protos) changed, the others as the server has them."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = self.page
        # Without the page's hash every rerun would be a page change, which resets all widgets not in `states`.
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.widgets.extend(states)
        self.running = True
        await self.ws.send(msg.SerializeToString())

    async def click(self, key: str) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        await self.rerun(WidgetState(id=self.widget(key).id, trigger_value=True))

    async def choose(self, key: str, option: str) -> None:
        """Pick `option` (its shown text) in a segmented control or pills."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.widget(key).id)
        state.string_array_value.data.append(option)
        await self.rerun(state)

    async def type_text(self, key: str, text: str) -> None:
        """Send `text` as a text box's value, whatever its max_chars (a script can send anything)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        await self.rerun(WidgetState(id=self.widget(key).id, string_value=text))

    async def upload(self, key: str, name: str, data: bytes) -> int:
        """Upload `data` into a file uploader the way the browser does (ask for a URL, PUT the file with
        the XSRF token, then send the widget's new state); returns the PUT's HTTP status. Only a
        status 204 (accepted) is followed by the widget state."""
        from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        urls = await self._file_urls(name)
        status = await asyncio.to_thread(_put_file, self.port, urls.upload_url, name, data)
        if status == 204:
            state = WidgetState(id=self.widget(key).id)
            state.file_uploader_state_value.uploaded_file_info.append(UploadedFileInfo(
                file_id=urls.file_id, name=name, size=len(data),
                file_urls=FileURLs(file_id=urls.file_id, upload_url=urls.upload_url, delete_url=urls.delete_url)))
            await self.rerun(state)
        return status

    async def download(self, key: str, timeout: float = 120) -> tuple[bool, float]:
        """Click a deferred download button (the server makes the file now) and fetch the file;
        returns (a file came back, seconds)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        began = time.perf_counter()
        request = BackMsg()
        op = request.backend_operation_request
        op.request_id, op.session_id = uuid.uuid4().hex, self.session_id
        op.deferred_file.file_id = self.widget(key).deferred_file_id
        await self.ws.send(request.SerializeToString())
        await self.until(lambda: op.request_id in self.responses, timeout)
        answer = self.responses.pop(op.request_id)
        url = answer.deferred_file.url if answer.HasField("deferred_file") else ""
        ok = bool(url) and await asyncio.to_thread(_get, self.port, url)
        return ok, time.perf_counter() - began

    # --- waiting ------------------------------------------------------------------------------------
    def widget(self, key: str) -> Widget:
        """The widget whose id ends with the app's key (Streamlit ids are "$$ID-<hash>-<key>")."""
        found = self.find(key)
        if found is None:
            raise LookupError(f"no widget with key {key!r} on the page")
        return found

    def find(self, key: str) -> Widget | None:
        return next((w for i, w in self.widgets.items() if i.endswith(key)), None)

    async def until(self, condition, timeout: float) -> bool:
        """Wait until `condition()` holds (re-checked on every message); False when `timeout` passes first."""
        deadline = time.perf_counter() + timeout
        while not condition():
            left = deadline - time.perf_counter()
            if left <= 0 or (self._reader is not None and self._reader.done()):
                return condition()
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(left, 1.0))
            except asyncio.TimeoutError:
                pass
        return True

    async def idle(self, timeout: float) -> bool:
        """Wait for the script run in progress to end."""
        return await self.until(lambda: not self.running, timeout)

    def verdict(self, shown_before: set[str] = frozenset()) -> tuple[int, str] | None:
        """The run's outcome banner or error, if the page shows one that was not in `shown_before`
        (the page's alerts before the click: a warning about the settings is drawn on every run)."""
        return next(((f, body) for f, body in self.alerts if body not in shown_before and (
            f in (SUCCESS, WARNING, ERROR) or (f == INFO and body.startswith("Stopped")))), None)

    def shown(self) -> set[str]:
        """The alerts on the page now, to tell a run's verdict from them later."""
        return {body for _, body in self.alerts}

    # --- what the server sends ------------------------------------------------------------------------
    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._take(msg)
                self._changed.set()
        finally:
            self.running = False
            self._changed.set()

    def _take(self, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.alerts, self.texts, self.progress = [], [], ""
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "script_finished":
            if msg.script_finished != EARLY_FOR_RERUN:
                self.running = False
                self.finished += 1
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string  # the app rewrote the URL; a browser follows
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_not_found":
            self.page_not_found = True
        elif kind == "file_urls_response":
            self.responses[msg.file_urls_response.response_id] = msg.file_urls_response
        elif kind == "backend_operation_response":
            self.responses[msg.backend_operation_response.request_id] = msg.backend_operation_response

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "alert":
            self.alerts.append((element.alert.format, element.alert.body))
        elif kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "progress":
            self.progress = element.progress.text
        elif kind == "button_group":
            proto = element.button_group
            self.widgets[proto.id] = Widget(proto.id, kind, options=[o.content for o in proto.options])
        elif kind == "download_button":
            proto = element.download_button
            self.widgets[proto.id] = Widget(proto.id, kind, proto.label, deferred_file_id=proto.deferred_file_id)
        elif kind in ("button", "file_uploader", "text_input", "selectbox", "number_input"):
            proto = getattr(element, kind)
            self.widgets[proto.id] = Widget(proto.id, kind, proto.label)

    async def _file_urls(self, name: str, timeout: float = 60):
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        request = msg.file_urls_request
        request.request_id, request.session_id = uuid.uuid4().hex, self.session_id
        request.file_names.append(name)
        await self.ws.send(msg.SerializeToString())
        if not await self.until(lambda: request.request_id in self.responses, timeout):
            raise TimeoutError("the server gave no upload URL")
        return self.responses.pop(request.request_id).file_urls[0]


def _put_file(port: int, path: str, name: str, data: bytes) -> int:
    """PUT one file as the browser's uploader does: multipart, with a matching XSRF cookie and header."""
    import urllib.error
    import urllib.request

    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    token, boundary = generate_xsrf_token_string(), uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token,
        "Cookie": f"_streamlit_xsrf={token}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # the server dropped the connection


def _get(port: int, path: str) -> bool:
    import urllib.request

    url = path if path.startswith("http") else f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            return len(answer.read()) > 0
    except OSError:
        return False
