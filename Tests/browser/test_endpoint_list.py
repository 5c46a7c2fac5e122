"""The API console's endpoint picker (Public/js/endpoints.js) lists exactly the endpoints the
proxy forwards (EndpointAllowList.thingiverseREST), in the same order."""
import re

from conftest import ROOT


def swift_endpoints():
    source = (ROOT / "Sources/ThingBridge/Proxy/EndpointAllowList.swift").read_text()
    block = source.split("thingiverseREST: [String] = [", 1)[1].split("]", 1)[0]
    return re.findall(r'"([A-Z]+ [^"]+)"', block)


def page_endpoints():
    source = (ROOT / "Public/js/endpoints.js").read_text()
    block = source.split("export const endpoints = [", 1)[1].split("];", 1)[0]
    return re.findall(r'"([A-Z]+ [^"]+)"', block)


def test_the_console_lists_exactly_the_allow_list():
    assert len(swift_endpoints()) > 50
    assert page_endpoints() == swift_endpoints()
