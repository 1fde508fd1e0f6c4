// A fake of Linear's GraphQL API that holds every request to Linear's
// published schema with the reference implementation (graphql, pinned in
// package-lock.json): a query the schema does not allow (parse or
// validate), or variables its input types do not (execute's coercion), is
// refused with 400 and never answered. Valid ones are executed against a
// small state: one team ENG, labels paged one a page (pageInfo), one user,
// issues created with the client's id (an id taken is refused, as Linear
// does) and read back by id or identifier. A personal API key goes without
// "Bearer". Each request is logged on stderr: "ok NAME" or "refused NAME:
// why". Prints its port, then serves until killed.
// Usage: node linear_fake.mjs PEERS_DIR SCHEMA.graphql
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [peers, schemaPath] = process.argv.slice(2);
if (!peers || !schemaPath) {
	console.error('usage: node linear_fake.mjs PEERS_DIR SCHEMA.graphql');
	process.exit(2);
}
const require = createRequire(`${peers}/package.json`);
const { buildSchema, parse, validate, execute } = require('graphql');
const schema = buildSchema(readFileSync(schemaPath, 'utf8'));

const team = { id: '5c1e2f0a-1111-4222-8333-444455556666', key: 'ENG', name: 'Engineering' };
const labels = [
	{ id: 'a0000000-0000-4000-8000-000000000001', name: 'bug', team: null },
	{ id: 'a0000000-0000-4000-8000-000000000002', name: 'postmortem', team: { id: 'other-team' } },
	{ id: 'a0000000-0000-4000-8000-000000000003', name: 'postmortem', team: null },
	{ id: 'a0000000-0000-4000-8000-000000000004', name: 'prevention', team: { id: team.id } },
];
const users = [
	{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Aoi Tanaka', displayName: 'aoi',
	  email: 'aoi@acme.example' },
];
const issues = new Map();	// id -> issue
const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// One node a page: the cursor is the index of the next.
function page(all, after) {
	const from = after ? Number(after) : 0;
	const more = from + 1 < all.length;
	return {
		nodes: all.slice(from, from + 1),
		pageInfo: { hasNextPage: more, hasPreviousPage: from > 0,
			    endCursor: more ? String(from + 1) : null, startCursor: String(from) },
	};
}

function str(cmp, value) {
	if (!cmp) return true;
	if (cmp.eq !== undefined && cmp.eq !== value) return false;
	if (cmp.eqIgnoreCase !== undefined &&
	    cmp.eqIgnoreCase.toLowerCase() !== String(value).toLowerCase()) return false;
	if (cmp.in !== undefined && !cmp.in.includes(value)) return false;
	return true;
}

const root = {
	viewer: () => ({ id: 'b0000000-0000-4000-8000-0000000000ff', name: 'furikaeri bot',
			 displayName: 'furikaeri', email: 'bot@acme.example' }),
	teams: ({ filter, after }) =>
		page([team].filter((t) => str(filter?.key, t.key)), after),
	issueLabels: ({ filter, after }) =>
		page(labels.filter((l) => str(filter?.name, l.name)), after),
	users: ({ filter }) => ({
		nodes: users.filter((u) => str(filter?.email, u.email) &&
				    str(filter?.displayName, u.displayName)),
		pageInfo: { hasNextPage: false, hasPreviousPage: false },
	}),
	issue: ({ id }) => {
		const found = issues.get(id) ?? [...issues.values()].find((i) => i.identifier === id);
		if (!found) throw new Error('Entity not found: Issue');
		return found;
	},
	issueCreate: ({ input }) => {
		if (input.id !== undefined && !v4.test(input.id))
			throw new Error('Argument Validation Error: id must be a UUID v4');
		if (input.teamId !== team.id) throw new Error('Entity not found: Team');
		if (input.id !== undefined && issues.has(input.id))
			throw new Error('Entity already exists');
		for (const l of input.labelIds ?? [])
			if (!labels.some((k) => k.id === l)) throw new Error('Entity not found: IssueLabel');
		const n = issues.size + 1;
		const issue = {
			id: input.id ?? `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
			identifier: `ENG-${n}`, url: `https://linear.app/acme/issue/ENG-${n}`,
			title: input.title ?? '', description: input.description ?? null,
			state: { name: 'Todo', type: 'unstarted' },
		};
		issues.set(issue.id, issue);
		return { success: true, lastSyncId: n, issue };
	},
};

function answer(res, status, body) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
	let raw = '';
	req.on('data', (c) => { raw += c; });
	req.on('end', () => {
		let name = '?';
		const refuse = (status, why) => {
			console.error(`refused ${name}: ${why}`);
			answer(res, status, { errors: [{ message: why, extensions: { code: 'BAD_REQUEST' } }] });
		};
		if (req.method !== 'POST' || req.url !== '/graphql')
			return refuse(404, `${req.method} ${req.url}: only POST /graphql`);
		const auth = req.headers.authorization;
		if (!auth) return refuse(400, 'Authentication required, not authenticated');
		if (auth.startsWith('Bearer '))
			return refuse(400, 'Remove the Bearer prefix from the Authorization header');
		let body, doc;
		try {
			body = JSON.parse(raw);
		} catch (e) {
			return refuse(400, `the body is not JSON: ${e.message}`);
		}
		if (typeof body.query !== 'string') return refuse(400, 'Must provide query string.');
		try {
			doc = parse(body.query);
		} catch (e) {
			return refuse(400, e.message);
		}
		name = doc.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value ?? '?';
		const invalid = validate(schema, doc);
		if (invalid.length > 0) return refuse(400, invalid.map((e) => e.message).join('; '));
		const result = execute({ schema, document: doc, rootValue: root,
					 variableValues: body.variables ?? {} });
		if (result.errors && result.data === undefined)
			return refuse(400, result.errors.map((e) => e.message).join('; '));
		console.error(`ok ${name}${result.errors ? ' (answered with errors: ' +
			result.errors.map((e) => e.message).join('; ') + ')' : ''}`);
		answer(res, 200, { data: result.data ?? null,
				   ...(result.errors ? { errors: result.errors.map((e) => ({
					   message: e.message, path: e.path,
					   extensions: { type: 'invalid input', userPresentableMessage: e.message },
				   })) } : {}) });
	});
});
server.listen(0, '127.0.0.1', () => {
	console.log(server.address().port);
});
