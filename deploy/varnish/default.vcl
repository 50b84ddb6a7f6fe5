# Varnish in front of the project: the CDN for the content API (docker-compose.yml's
# `varnish` service; `make bench` and the end-to-end test run it locally).
#
# It keeps the anonymous API responses the API marks `public` for their `s-maxage`, and the
# API purges them on every publish, unpublish and delete: each response names the items it
# shows in `Surrogate-Key` (api/cdn), and the API's BAN request names the keys of a change.
# Bans, not the xkey module: Debian's varnish package ships without varnish-modules, and bans
# on `obj.*` alone are checked lazily by the ban lurker at no cost to requests.
# Everything else (the admin, partners' keyed requests, errors) passes through uncached.
vcl 4.1;

# The project's server. The test and the bench point it at theirs (bench/varnish.py).
backend default {
    .host = "web";
    .port = "8000";
}

# Who may purge: this machine and private networks (the project's containers). The BAN
# method only ever drops cached copies.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the project's own servers"));
        }
        if (req.http.Surrogate-Key !~ "^[a-z0-9-]+( [a-z0-9-]+)*$") {
            return (synth(400, "Surrogate-Key: keys of a-z, 0-9 and -, separated by spaces"));
        }
        ban("obj.http.Surrogate-Key ~ (^|\s)(" + regsuball(req.http.Surrogate-Key, " ", "|") + ")(\s|$)");
        return (synth(200, "Purged"));
    }
    if (req.url !~ "^/api/v1/") {
        return (pass);
    }
    # A partner's responses are its own (the API marks them private); Varnish's built-in
    # rules already pass requests with Authorization or a Cookie.
    if (req.http.X-API-Key) {
        return (pass);
    }
    # Asks the API to name the items of each response (api/cdn/middleware.py).
    set req.http.Surrogate-Capability = "varnish=cache-tags";
}

sub vcl_backend_response {
    # Only what the API says shared caches may keep, for the s-maxage it gives (Varnish's TTL
    # already follows s-maxage). Anything else, a 404 or 400 included, is fetched anew each
    # time: a cached "not found" would outlive the publish of that item.
    if (beresp.http.Cache-Control !~ "s-maxage=" || beresp.http.Cache-Control ~ "private") {
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    # Never serve a copy past its lifetime (the API shortens it to the next expiry date).
    set beresp.grace = 0s;
    # Kept compressed, as a CDN keeps text: a client that accepts gzip (browsers, HTTP
    # libraries) receives a small share of the bytes (a list of 100 side effects with every
    # expansion, 1.7 MB, goes out as 24 KB); Varnish unzips it for a client that does not.
    # The API itself sends identity bytes, so its cached reads pay no compression per request.
    if (beresp.http.Content-Type ~ "json") {
        set beresp.do_gzip = true;
    }
}

sub vcl_deliver {
    # The keys are for this cache alone.
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
