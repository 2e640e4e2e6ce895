import {
  contactOverviewMail,
  escapeHtml,
  formatPercent,
  newNeighbourMail,
  unsubscribeLinkMail,
  verificationMail,
} from './mail-templates';

const HOSTILE = '<script>alert("x")</script> & Co\'s $& Strasse 1';

describe('mail templates', () => {
  describe(verificationMail.name, () => {
    const sut = verificationMail({
      appName: 'Solar Nachbarn',
      address: HOSTILE,
      confirmUrl: 'https://leg.example.ch/confirm/abc?x=1&y=2',
      unsubscribeUrl: 'https://leg.example.ch/unsubscribe/def',
    });

    it('should use the exact subject', () => {
      expect(sut.subject).toBe('Bitte bestätigen Sie Ihre Teilnahme');
    });

    it('should contain both links in text and HTML', () => {
      expect(sut.text).toContain('https://leg.example.ch/confirm/abc?x=1&y=2');
      expect(sut.text).toContain('https://leg.example.ch/unsubscribe/def');
      expect(sut.html).toContain('href="https://leg.example.ch/confirm/abc?x=1&amp;y=2"');
      expect(sut.html).toContain('href="https://leg.example.ch/unsubscribe/def"');
    });

    it('should say that confirming shares the contact details with matching neighbours', () => {
      for (const body of [sut.text, sut.html]) {
        expect(body).toContain('Mit Ihrer Bestätigung werden Ihre Kontaktangaben (Adresse, E-Mail-Adresse und, falls angegeben, Telefonnummer)');
        expect(body).toContain('Nachbarn derselben möglichen Lokalen Elektrizitätsgemeinschaft');
      }
    });

    it('should escape the address in HTML and use the brand', () => {
      expect(sut.html).not.toContain('<script>');
      expect(sut.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s $&amp; Strasse 1');
      expect(sut.text).toContain(HOSTILE);
      expect(sut.text).toContain('Solar Nachbarn');
      expect(sut.html).toContain('Solar Nachbarn');
      expect(sut.text).not.toContain('LEG Match');
    });

    it('should work without an address', () => {
      const mail = verificationMail({ appName: 'A', address: null, confirmUrl: 'u1', unsubscribeUrl: 'u2' });
      expect(mail.text).toContain('Ihr Gebäude');
    });
  });

  describe(unsubscribeLinkMail.name, () => {
    it('should contain the link and the ignore note, escaped', () => {
      const sut = unsubscribeLinkMail({ appName: 'LEG Match', address: HOSTILE, unsubscribeUrl: 'https://x.ch/unsubscribe/t' });
      expect(sut.subject).toBe('Ihr Abmeldelink');
      expect(sut.text).toContain('https://x.ch/unsubscribe/t');
      expect(sut.html).toContain('href="https://x.ch/unsubscribe/t"');
      expect(sut.text).toContain('nicht angefordert');
      expect(sut.html).not.toContain('<script>');
    });
  });

  describe(contactOverviewMail.name, () => {
    const input = {
      appName: 'LEG Match',
      recipientAddress: 'Badstrasse 12, 5400 Baden',
      autarkyPercent: 42.25,
      unsubscribeUrl: 'https://x.ch/unsubscribe/mine',
      members: [
        { address: 'Badstrasse 12, 5400 Baden', email: 'me@example.ch', phone: '+41791234567' },
        { address: HOSTILE, email: 'evil"<b>@example.ch', phone: null, isNew: true },
      ],
    };

    it('should list every member with address, e-mail and phone, escaped', () => {
      const sut = contactOverviewMail(input);
      expect(sut.subject).toBe('Ihre mögliche LEG: Kontakte Ihrer Nachbarn');
      expect(sut.html).toContain('me@example.ch');
      expect(sut.html).toContain('+41791234567');
      expect(sut.html).toContain('evil&quot;&lt;b&gt;@example.ch');
      expect(sut.html).not.toContain('<script>');
      expect(sut.html).not.toContain('<b>@');
      expect(sut.text).toContain('- Badstrasse 12, 5400 Baden · me@example.ch · +41791234567');
    });

    it('should format the autarky potential Swiss-German style and include the own unsubscribe link', () => {
      const sut = contactOverviewMail(input);
      expect(sut.text).toContain('42,3 %');
      expect(sut.html).toContain('42,3 %');
      expect(sut.html).toContain('href="https://x.ch/unsubscribe/mine"');
      expect(sut.text).toContain('https://x.ch/unsubscribe/mine');
    });

    it('should mark new members NEU', () => {
      const sut = contactOverviewMail(input);
      expect(sut.text).toMatch(/evil.*\(NEU\)/);
      expect(sut.text).not.toMatch(/me@example\.ch.*NEU/);
      expect(sut.html.match(/NEU<\/strong>/g)).toHaveLength(1);
    });
  });

  describe(newNeighbourMail.name, () => {
    it('should use its own subject and intro with the same data', () => {
      const sut = newNeighbourMail({
        appName: 'LEG Match',
        recipientAddress: null,
        autarkyPercent: 7,
        unsubscribeUrl: 'https://x.ch/unsubscribe/mine',
        members: [{ address: 'Weg 1', email: 'new@example.ch', phone: null, isNew: true }],
      });
      expect(sut.subject).toBe('Neue interessierte Nachbarn in Ihrer Nähe');
      expect(sut.text).toContain('weitere Nachbarn');
      expect(sut.text).toContain('7,0 %');
      expect(sut.text).toContain('new@example.ch');
      expect(sut.html).toContain('NEU');
    });
  });

  it('should escape all five HTML special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('should round to one decimal', () => {
    expect(formatPercent(99.96)).toBe('100,0 %');
    expect(formatPercent(0)).toBe('0,0 %');
  });
});
