// Confluence Cloud's API lives under /wiki/api/v2 on a site; Prism serves
// its description without that prefix. This proxy sits in front of Prism,
// so the client is checked exactly as it sends: it strips the prefix
// (a request without it gets 404, as on a real site), passes method,
// headers and body through, and in Prism's answers puts a number where
// Prism wrote the schema's placeholder "string" for an id (the paths want
// integers, so the client's next request could not be checked otherwise)
// and drops a placeholder _links.next. Usage: node confluence_proxy.js
// PRISM_PORT; prints the port it listens on.
"use strict";
const http = require("http");
const prism = +process.argv[2];

function numbered(v) {
	if (Array.isArray(v))
		return v.map(numbered);
	if (v === null || typeof v !== "object")
		return v;
	for (const k of Object.keys(v)) {
		if ((k === "id" || k === "spaceId" || k === "parentId") && v[k] === "string")
			v[k] = "9001";
		else if (k === "next" && v[k] === "string")
			delete v[k];
		else
			v[k] = numbered(v[k]);
	}
	return v;
}
const server = http.createServer((req, res) => {
	if (!req.url.startsWith("/wiki/api/v2/")) {
		res.writeHead(404, { "content-type": "application/json" });
		res.end('{"errors":[{"status":404,"code":"NOT_FOUND","title":"no such path on the site"}]}');
		return;
	}
	const chunks = [];
	req.on("data", (c) => chunks.push(c));
	req.on("end", () => {
		const headers = Object.assign({}, req.headers, { host: "127.0.0.1:" + prism });
		const up = http.request({ host: "127.0.0.1", port: prism, method: req.method,
			path: req.url.slice("/wiki/api/v2".length), headers }, (ur) => {
			const body = [];
			ur.on("data", (c) => body.push(c));
			ur.on("end", () => {
				let text = Buffer.concat(body).toString("utf8");
				if (ur.statusCode < 300 && text !== "") {
					try {
						text = JSON.stringify(numbered(JSON.parse(text)));
					} catch (e) {
						// not JSON: passed on as it is
					}
				}
				const h = Object.assign({}, ur.headers);
				delete h["content-length"];
				delete h["transfer-encoding"];
				h["content-length"] = Buffer.byteLength(text);
				res.writeHead(ur.statusCode, h);
				res.end(text);
			});
		});
		up.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
		up.end(Buffer.concat(chunks));
	});
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
