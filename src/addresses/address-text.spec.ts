import { addressLabel, foldAddress, houseNumbers, labelPlace, searchText, stripMarkup } from './address-text';

describe(stripMarkup.name, () => {
  it.each([
    ['Badstrasse 12 <b>5400 Baden</b>', 'Badstrasse 12 5400 Baden'],
    ['<i>Populated Place</i> <b>Wabern</b> (BE) - Köniz', 'Populated Place Wabern (BE) - Köniz'],
    ['Rue&amp;Co <b>1200 Genève</b>', 'Rue&Co 1200 Genève'],
    ['  Weite   Gasse\t3 ', 'Weite Gasse 3'],
    ['unclosed <b tag', 'unclosed'],
    ['<script>alert(1)</script>Badstrasse', 'alert(1) Badstrasse'],
  ])('should turn %j into %j', (label, expected) => {
    expect(stripMarkup(label)).toBe(expected);
  });
});

describe(addressLabel.name, () => {
  it('should put a comma between street and place, as addresses are written', () => {
    expect(addressLabel('Badstrasse 12 <b>5400 Baden</b>')).toBe('Badstrasse 12, 5400 Baden');
    expect(addressLabel('Seftigenstrasse 264 <b>3084 Wabern</b>')).toBe('Seftigenstrasse 264, 3084 Wabern');
    expect(addressLabel('Bäderstrasse 3a <b>5400 Baden</b>')).toBe('Bäderstrasse 3a, 5400 Baden');
  });

  it('should only strip the markup of labels in another form', () => {
    expect(addressLabel('<b>Baden (AG)</b>')).toBe('Baden (AG)');
  });
});

describe(labelPlace.name, () => {
  it('should read postcode and place from the bold part', () => {
    expect(labelPlace('Landstrasse 1 <b>5415 Nussbaumen AG</b>')).toEqual({ plz: 5415, place: 'Nussbaumen AG' });
    expect(labelPlace('Landstrasse 1 5415 Nussbaumen')).toBeUndefined();
  });
});

describe(foldAddress.name, () => {
  it('should fold case, accents, umlauts, ß and punctuation', () => {
    expect(foldAddress('Bäderstrasse 3, 5400 Baden')).toBe('baderstrasse 3 5400 baden');
    expect(foldAddress('  Route de Genève  12. ')).toBe('route de geneve 12');
    expect(foldAddress('Großstraße')).toBe('grossstrasse');
  });
});

describe(searchText.name, () => {
  it('should drop commas and markup and keep at most 10 words', () => {
    expect(searchText('Badstrasse 12, 5400 Baden')).toBe('Badstrasse 12 5400 Baden');
    expect(searchText('a b c d e f g h i j k l')).toBe('a b c d e f g h i j');
    expect(searchText('<b>Weite</b> Gasse')).toBe('Weite Gasse');
  });
});

describe(houseNumbers.name, () => {
  it('should find house numbers, postcodes included, but not words', () => {
    expect(houseNumbers('Badstrasse 12a, 5400 Baden')).toEqual(['12a', '5400']);
    expect(houseNumbers('Alberich Zwyssig-Strasse')).toEqual([]);
  });
});
