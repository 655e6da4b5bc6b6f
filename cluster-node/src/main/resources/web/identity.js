// The page's agent identity: an Ed25519 key (WebCrypto) and its did:key, kept for the browser
// session. It signs join proofs (`adam-sfu-join:<nonce>:<neighbourhood>:<room>`) and, for a
// neighbourhood's owner, its `sfu` settings (`adam-sfu-config:<nonce>:<neighbourhood>:<config>`).

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes) {
  let digits = [0];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i] << 8;
      digits[i] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '';
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += '1';
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]];
  return out;
}

function base64url(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** did:key of an Ed25519 public key: multicodec 0xed 0x01, then base58btc with prefix z. */
function didKey(rawPublicKey) {
  const prefixed = new Uint8Array(34);
  prefixed.set([0xed, 0x01]);
  prefixed.set(new Uint8Array(rawPublicKey), 2);
  return `did:key:z${base58(prefixed)}`;
}

export async function loadIdentity() {
  let privateKey;
  let publicKey;
  const stored = sessionStorage.getItem('sfu-identity');
  if (stored) {
    const jwk = JSON.parse(stored);
    privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, true, ['sign']);
    const { d, ...publicJwk } = jwk;
    publicKey = await crypto.subtle.importKey('jwk', { ...publicJwk, key_ops: ['verify'] },
      { name: 'Ed25519' }, true, ['verify']);
  } else {
    ({ privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']));
    sessionStorage.setItem('sfu-identity', JSON.stringify(await crypto.subtle.exportKey('jwk', privateKey)));
  }
  const did = didKey(await crypto.subtle.exportKey('raw', publicKey));
  return {
    did,
    async sign(text) {
      return base64url(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, new TextEncoder().encode(text)));
    },
  };
}
