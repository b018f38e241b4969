#!/usr/bin/env python3
"""Writes src/domain/countries.tsv: every ISO 3166-1 country with the names people write for it.

The codes and English names come from Debian's iso-codes package (/usr/share/iso-codes/json,
`apt-get install iso-codes`); the names in the shops' other languages (German, French, Spanish,
Italian, Dutch, Portuguese), the native names and the everyday English ones are listed below.
Run it again after changing the list; the table is checked in, so building needs neither.
"""
import json
import pathlib

SOURCE = pathlib.Path("/usr/share/iso-codes/json/iso_3166-1.json")
OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "domain" / "countries.tsv"

# Other names by code: native, everyday English, and the six other languages of the import headers.
OTHER = {
    "GB": "UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|Vereinigtes Königreich|Großbritannien|England|Royaume-Uni|Angleterre|Reino Unido|Inglaterra|Regno Unito|Inghilterra|Verenigd Koninkrijk|Engeland|Groot-Brittannië",
    "US": "USA|U.S.A.|U.S.|United States of America|America|Vereinigte Staaten|Vereinigte Staaten von Amerika|États-Unis|Etats-Unis|Estados Unidos|EE. UU.|EEUU|Stati Uniti|Verenigde Staten|Estados Unidos da América",
    "CA": "Kanada|Canadá",
    "IE": "Éire|Eire|Irland|Irlande|Irlanda|Ierland|Republic of Ireland",
    "AU": "Australien|Australie|Australia|Australië|Austrália",
    "NZ": "Aotearoa|Neuseeland|Nouvelle-Zélande|Nueva Zelanda|Nuova Zelanda|Nieuw-Zeeland|Nova Zelândia",
    "DE": "Deutschland|Allemagne|Alemania|Germania|Duitsland|Alemanha|BRD|Federal Republic of Germany",
    "AT": "Österreich|Oesterreich|Autriche|Austria|Oostenrijk|Áustria",
    "CH": "Schweiz|Suisse|Svizzera|Suiza|Zwitserland|Suíça|Svizra",
    "LI": "Liechtenstein",
    "LU": "Luxemburg|Lëtzebuerg|Luxemburgo|Lussemburgo",
    "FR": "Frankreich|Francia|Frankrijk|França",
    "BE": "Belgien|Belgique|Bélgica|Belgio|België|Belgie",
    "NL": "Nederland|Holland|The Netherlands|Niederlande|Pays-Bas|Países Bajos|Paesi Bassi|Países Baixos|Holanda|Olanda",
    "ES": "España|Espana|Spanien|Espagne|Spagna|Spanje|Espanha",
    "PT": "Portugal|Portogallo",
    "IT": "Italia|Italien|Italie|Italië|Itália",
    "GR": "Ελλάδα|Hellas|Griechenland|Grèce|Grecia|Griekenland|Grécia",
    "DK": "Danmark|Dänemark|Danemark|Dinamarca|Danimarca|Denemarken",
    "SE": "Sverige|Schweden|Suède|Suecia|Svezia|Zweden|Suécia",
    "NO": "Norge|Noreg|Norwegen|Norvège|Noruega|Norvegia|Noorwegen",
    "FI": "Suomi|Finnland|Finlande|Finlandia|Finland|Finlândia",
    "IS": "Ísland|Island|Islande|Islandia|Islanda|IJsland|Islândia",
    "PL": "Polska|Polen|Pologne|Polonia|Polônia|Polónia",
    "CZ": "Czech Republic|Česko|Česká republika|Tschechien|Tchéquie|República Checa|Chequia|Repubblica Ceca|Tsjechië|Chéquia",
    "SK": "Slovensko|Slowakei|Slovaquie|Eslovaquia|Slovacchia|Slowakije|Eslováquia",
    "HU": "Magyarország|Ungarn|Hongrie|Hungría|Ungheria|Hongarije|Hungria",
    "RO": "România|Rumänien|Roumanie|Rumania|Rumenia|Roemenië|Romênia|Roménia",
    "BG": "България|Bulgarien|Bulgarie|Bulgaria|Bulgarije|Bulgária",
    "HR": "Hrvatska|Kroatien|Croatie|Croacia|Croazia|Kroatië|Croácia",
    "SI": "Slovenija|Slowenien|Slovénie|Eslovenia|Slovenia|Slovenië|Eslovénia",
    "RS": "Srbija|Serbien|Serbie|Serbia|Servië|Sérvia",
    "EE": "Eesti|Estland|Estonie|Estonia|Estônia|Estónia",
    "LV": "Latvija|Lettland|Lettonie|Letonia|Lettonia|Letland|Letônia|Letónia",
    "LT": "Lietuva|Litauen|Lituanie|Lituania|Litouwen|Lituânia",
    "UA": "Україна|Ukraina|Ukraine|Ucrania|Ucraina|Oekraïne|Ucrânia",
    "RU": "Russia|Россия|Russland|Russie|Rusia|Rusland|Rússia",
    "TR": "Türkiye|Turkey|Türkei|Turquie|Turquía|Turchia|Turkije|Turquia",
    "CY": "Κύπρος|Zypern|Chypre|Chipre|Cipro",
    "MT": "Malta|Malte",
    "MC": "Monaco|Mónaco",
    "AD": "Andorra|Andorre",
    "BR": "Brasil|Brasilien|Brésil|Brasile|Brazilië",
    "MX": "México|Mexiko|Mexique|Messico",
    "AR": "Argentinien|Argentine|Argentinië",
    "CL": "Chile|Chili|Cile",
    "CO": "Kolumbien|Colombie|Colombia|Colômbia",
    "PE": "Perú|Pérou|Perù",
    "VE": "Venezuela",
    "UY": "Uruguay|Uruguai",
    "CN": "中国|Zhongguo|China|Chine|Cina",
    "HK": "香港|Hongkong",
    "TW": "台灣|Taiwán",
    "JP": "日本|Nippon|Japan|Japon|Japón|Giappone|Japão",
    "KR": "대한민국|Korea|Südkorea|Corée du Sud|Corea del Sur|Corea del Sud|Zuid-Korea|Coreia do Sul",
    "IN": "भारत|Bharat|Indien|Inde|India|Índia",
    "PK": "Pakistan|Paquistão",
    "SG": "Singapur|Singapour|Singapura",
    "MY": "Malaysia|Malaisie|Malasia|Malesia|Maleisië|Malásia",
    "TH": "ประเทศไทย|Thailand|Thaïlande|Tailandia|Thailandia|Tailândia",
    "PH": "Pilipinas|Philippinen|Philippines|Filipinas|Filippine|Filipijnen",
    "ID": "Indonesien|Indonésie|Indonesia|Indonesië|Indonésia",
    "VN": "Việt Nam|Vietnam|Viêt Nam|Vietnã|Vietname",
    "AE": "UAE|U.A.E.|Emirates|Vereinigte Arabische Emirate|Émirats arabes unis|Emiratos Árabes Unidos|Emirati Arabi Uniti|Verenigde Arabische Emiraten|Emirados Árabes Unidos",
    "SA": "Saudi-Arabien|Arabie saoudite|Arabia Saudita|Saoedi-Arabië|Arábia Saudita",
    "IL": "ישראל|Israel|Israël|Israele",
    "EG": "مصر|Ägypten|Égypte|Egipto|Egitto|Egypte|Egito",
    "MA": "المغرب|Marokko|Maroc|Marruecos|Marocco|Marrocos",
    "DZ": "Algerien|Algérie|Argelia|Algeria|Algerije|Argélia",
    "TN": "Tunesien|Tunisie|Túnez|Tunisia|Tunesië|Tunísia",
    "ZA": "South Africa|Südafrika|Afrique du Sud|Sudáfrica|Sudafrica|Zuid-Afrika|África do Sul",
    "NG": "Nigeria|Nigéria",
    "KE": "Kenia|Kenya|Quénia|Quênia",
    "AO": "Angola",
    "MZ": "Moçambique|Mosambik|Mozambique|Mozambico",
    "CV": "Cabo Verde|Kap Verde|Cap-Vert|Capo Verde|Kaapverdië",
}


def main():
    countries = json.loads(SOURCE.read_text(encoding="utf-8"))["3166-1"]
    lines = [
        "# Countries: code, the name Regulars shows, other names people write (| between).",
        "# Codes and English names: ISO 3166-1 as listed by Debian's iso-codes; other names: scripts/build-countries.py.",
    ]
    for c in sorted(countries, key=lambda c: c["alpha_2"]):
        code = c["alpha_2"]
        shown = c.get("common_name") or c["name"]
        names = [c["name"], c.get("official_name", ""), c["alpha_3"]]
        names += OTHER.get(code, "").split("|")
        seen, other = {shown.lower()}, []
        for n in names:
            if n and n.lower() not in seen:
                seen.add(n.lower())
                other.append(n)
        lines.append(f"{code}\t{shown}\t{'|'.join(other)}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(countries)} countries to {OUT}")


if __name__ == "__main__":
    main()
