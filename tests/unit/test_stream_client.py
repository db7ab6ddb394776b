"""The load benchmark's Streamlit protocol client reads the server's messages as the browser would."""

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.load import percentile
from benchmarks.stream_client import TARGET_IDS, Render, absorb, rerun_request


def _markdown(body: str) -> bytes:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = body
    return msg.SerializeToString()


def _finished(status: int) -> bytes:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg.SerializeToString()


def test_the_request_asks_for_the_page_and_its_query_string():
    msg = BackMsg.FromString(rerun_request("target", "target=cnc-rate-75-by-2027&lang=zh"))
    assert msg.WhichOneof("type") == "rerun_script"
    assert msg.rerun_script.page_name == "target"
    assert msg.rerun_script.query_string == "target=cnc-rate-75-by-2027&lang=zh"
    assert msg.rerun_script.context_info.url == "http://localhost/target?target=cnc-rate-75-by-2027&lang=zh"


def test_a_run_ends_when_it_finished_not_when_it_was_cut_short_for_a_rerun():
    render = Render()
    assert not absorb(render, _markdown('<div class="sc-row" data-target="a-1">x</div><div data-target="b-2">'))
    assert not absorb(render, _finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN))
    assert render.error == "run ended with FINISHED_EARLY_FOR_RERUN"
    assert absorb(render, _finished(ForwardMsg.FINISHED_SUCCESSFULLY))
    assert render.error is None
    assert [m for text in render.texts for m in TARGET_IDS.findall(text)] == ["a-1", "b-2"]


def test_an_exception_or_a_missing_page_is_an_error_even_when_the_run_finished():
    render = Render()
    msg = ForwardMsg()
    msg.delta.new_element.exception.type = "KeyError"
    msg.delta.new_element.exception.message = "'no-such-target'"
    absorb(render, msg.SerializeToString())
    assert absorb(render, _finished(ForwardMsg.FINISHED_SUCCESSFULLY))
    assert render.error == "exception: KeyError: 'no-such-target'"
    missing = Render()
    msg = ForwardMsg()
    msg.page_not_found.page_name = "nowhere"
    absorb(missing, msg.SerializeToString())
    absorb(missing, _finished(ForwardMsg.FINISHED_SUCCESSFULLY))
    assert missing.error == "page not found"


def test_percentiles_take_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]  # 1 .. 20
    assert percentile(values, 0.5) == 10.0
    assert percentile(values, 0.95) == 19.0
    assert percentile([3.0], 0.95) == 3.0


def test_the_rows_in_the_apps_own_markup_component_are_read_too():
    """The overview's rows come in the app's markup component (views/markup.py), not in st.markdown: the load
    benchmark found no row to visit since they moved there."""
    import json

    render = Render()
    msg = ForwardMsg()
    msg.delta.new_element.bidi_component.component_name = "escaped_markup"
    msg.delta.new_element.bidi_component.json = json.dumps({"markup": '<div class="sc-row" data-target="c-3">'})
    absorb(render, msg.SerializeToString())
    assert [m for text in render.texts for m in TARGET_IDS.findall(text)] == ["c-3"]
