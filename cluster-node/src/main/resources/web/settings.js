// The neighbourhood settings panel: shows the neighbourhood's `sfu` block (GraphQL sfuConfig)
// and lets its owner change it (sfuSetConfig, signed with the page's identity).

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const FIELDS = ['mode', 'designatedPeer', 'sfuPeers', 'maxParticipantsPerNode', 'maxMeshParticipants',
  'maxParticipants', 'maxBitrateKbps'];
const NUMBERS = new Set(['maxParticipantsPerNode', 'maxMeshParticipants', 'maxParticipants', 'maxBitrateKbps']);

export class SettingsPanel {
  constructor(element, neighbourhood, identity) {
    this.element = element;
    this.neighbourhood = neighbourhood;
    this.identity = identity;
    this.form = element.querySelector('form');
    this.status = element.querySelector('.settings-status');
    element.addEventListener('toggle', () => { if (element.open) this.load(); });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
  }

  async load() {
    const result = await graphql(`query($n: String!) { sfuNeighbourhood(neighbourhoodUrl: $n) { owner
        config { mode designatedPeer sfuPeers maxParticipantsPerNode maxMeshParticipants maxParticipants
                 maxBitrateKbps configured } } }`, { n: this.neighbourhood() });
    const nh = result.data.sfuNeighbourhood;
    for (const field of FIELDS) {
      const value = nh.config[field];
      this.form.elements[field].value = Array.isArray(value) ? value.join(', ') : (value ?? '');
    }
    const owner = nh.owner === this.identity.did ? 'you' : (nh.owner || 'nobody yet');
    this.show(`${nh.config.configured ? 'set by the owner' : 'node default'}; owner: ${owner}`);
    return nh;
  }

  /** The form as an `sfu` block: empty fields left out. */
  block() {
    const block = { fallback: 'mesh' };
    for (const field of FIELDS) {
      const raw = this.form.elements[field].value.trim();
      if (raw === '') continue;
      if (field === 'sfuPeers') block.sfuPeers = raw.split(',').map((s) => s.trim()).filter(Boolean);
      else block[field] = NUMBERS.has(field) ? Number(raw) : raw;
    }
    return block;
  }

  async save() {
    const neighbourhood = this.neighbourhood();
    const config = JSON.stringify(this.block());
    // The signed text carries a nonce the node issued, used up by this save: it cannot be replayed.
    const issued = await graphql('{ callNonce }');
    if (issued.errors) {
      this.show(`not saved: no nonce from the node: ${issued.errors[0].message}`);
      return false;
    }
    const nonce = issued.data.callNonce;
    const signature = await this.identity.sign(`adam-sfu-config:${nonce}:${neighbourhood}:${config}`);
    const result = await graphql(`mutation($n: String!, $c: String!, $d: String!, $s: String!, $nonce: String!) {
        sfuSetConfig(neighbourhoodUrl: $n, config: $c, did: $d, signature: $s, nonce: $nonce) { mode } }`,
      { n: neighbourhood, c: config, d: this.identity.did, s: signature, nonce });
    if (result.errors) {
      const e = result.errors[0];
      const field = e.extensions && e.extensions.field ? ` (${e.extensions.field})` : '';
      this.show(`not saved: ${e.extensions ? e.extensions.code : 'error'}${field}: ${e.message}`);
      return false;
    }
    this.show(`saved: mode ${result.data.sfuSetConfig.mode}`);
    return true;
  }

  show(text) {
    this.status.textContent = text;
  }
}
