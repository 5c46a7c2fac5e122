"""The API console's endpoint pickers (Public/js/endpoints.js) list exactly the endpoints the
proxy forwards, in the same order: `endpoints` is EndpointAllowList.thingiverseREST,
`flattrEndpoints` is EndpointAllowList.flattrREST and `userechoEndpoints` is
EndpointAllowList.userechoBrowserCommands."""
import re

from conftest import ROOT

THINGIVERSE = "Sources/ThingBridge/Providers/Thingiverse/ThingiverseEndpoints.swift"
FLATTR = "Sources/ThingBridge/Providers/Flattr/FlattrEndpoints.swift"
USERECHO = "Sources/ThingBridge/Providers/UserEcho/UserEchoEndpoints.swift"


def swift_endpoints(path, name):
    source = (ROOT / path).read_text()
    block = source.split(f"{name}: [String] = [", 1)[1].split("]", 1)[0]
    return re.findall(r'"([A-Z]+ [^"]+)"', block)


def page_endpoints(name):
    source = (ROOT / "Public/js/endpoints.js").read_text()
    block = source.split(f"export const {name} = [", 1)[1].split("];", 1)[0]
    return re.findall(r'"([A-Z]+ [^"]+)"', block)


def test_the_console_lists_exactly_the_thingiverse_allow_list():
    assert len(swift_endpoints(THINGIVERSE, "thingiverseREST")) > 50
    assert page_endpoints("endpoints") == swift_endpoints(THINGIVERSE, "thingiverseREST")


def test_the_console_lists_exactly_the_flattr_allow_list():
    expected = swift_endpoints(FLATTR, "flattrREST")
    assert "GET /things/{ids}" in expected and "GET /user" in expected
    assert page_endpoints("flattrEndpoints") == expected


def test_the_console_lists_exactly_the_userecho_browser_commands():
    expected = swift_endpoints(USERECHO, "userechoBrowserCommands")
    assert "POST /forums/{id}/topics" in expected and "GET /users/current" in expected
    assert page_endpoints("userechoEndpoints") == expected
    # Never one of the commands kept from browsers.
    assert not set(page_endpoints("userechoEndpoints")) & set(swift_endpoints(USERECHO, "userechoNeverForBrowsers"))
