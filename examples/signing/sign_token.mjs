// Sign a HelpMenu identity token on your server (Node.js, no dependencies). See docs/identity.md.
//   node sign_token.mjs SITE_SECRET USER_ID
import { createHmac } from "node:crypto";

const b64url = (data) => Buffer.from(data).toString("base64url");

export function signIdentityToken(secret, { sub, name, email, account, ttl = 300, now = Date.now() / 1000 }) {
  const iat = Math.floor(now);
  const claims = { sub: String(sub), iat, exp: iat + ttl };
  if (name != null) claims.name = name;
  if (email != null) claims.email = email;
  if (account != null) claims.account = account;
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" })) + "." + b64url(JSON.stringify(claims));
  return head + "." + createHmac("sha256", secret).update(head).digest("base64url");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(signIdentityToken(process.argv[2], { sub: process.argv[3] }));
}
