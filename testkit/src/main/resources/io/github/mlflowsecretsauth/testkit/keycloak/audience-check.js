// An nginx auth_request target (njs, Debian's libnginx-mod-http-js) that refuses every bearer token Keycloak does
// not vouch for *for this audience*: it asks the realm's token introspection endpoint (RFC 7662) through the
// internal location /_introspect, and answers 204 only when the answer says active=true and its aud holds
// $front_audience; 401 otherwise (no token, not a JWT, forged, expired, revoked, another audience), and 500 when
// Keycloak cannot be asked (auth_request then fails closed). The token is never logged.
function hasAudience(aud, wanted) {
    return typeof wanted === 'string' && wanted.length > 0
        && (aud === wanted || (Array.isArray(aud) && aud.indexOf(wanted) >= 0));
}

function check(r) {
    // A JWT only: base64url segments, so the form body below needs no escaping.
    var m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(r.headersIn.Authorization || '');
    if (!m) {
        r.return(401);
        return;
    }
    r.subrequest('/_introspect', {method: 'POST', body: 'token=' + m[1]}).then(function (reply) {
        if (reply.status !== 200) {
            r.error('token introspection answered HTTP ' + reply.status);
            r.return(500);
            return;
        }
        var claims;
        try {
            claims = JSON.parse(reply.responseText);
        } catch (e) {
            r.error('token introspection answered no JSON');
            r.return(500);
            return;
        }
        r.return(claims.active === true && hasAudience(claims.aud, r.variables.front_audience) ? 204 : 401);
    });
}

export default {check};
