"""Embedded name lists and the ways real sources spell one person's name (nicknames, case, order, accents)."""

from __future__ import annotations

import random
import unicodedata
from functools import cache
from itertools import accumulate

from nicknames import NickNamer

# Most common first, as in an international network in Britain; the original 54 first and 45 family names are
# among them. `draw_name` weights the n-th name 1 / (n + offset) (a Zipf-Mandelbrot law): James is about 1.6% of
# people and Smith about 1%, so a 3,000-person network has a few namesakes (Robert Smith, David Jones) while most
# full names are unique. Real names have a far longer tail than these lists: the offsets keep the head near real
# shares, and namesakes stay somewhat more common than in a real network (the harder case for resolution).
FIRST_NAMES = (
    "James", "John", "Robert", "David", "Michael", "William", "Thomas", "Sarah", "Elizabeth", "Mary",
    "Daniel", "Richard", "Paul", "Christopher", "Emma", "Andrew", "Mark", "Laura", "Jennifer", "Katherine",
    "Peter", "Matthew", "Rebecca", "Susan", "Joseph", "Anna", "Margaret", "Charlotte", "Jonathan", "Emily",
    "Edward", "Hannah", "Alexander", "Sophie", "George", "Olivia", "Samantha", "Mohammed", "Patricia",
    "Nicholas", "Benjamin", "Victoria", "Anthony", "Grace", "Stephen", "Helen", "Lucy", "Jessica", "Charles",
    "Rachel", "Simon", "Claire", "Oliver", "Amy", "Henry", "Alice", "Martin", "Louise", "Priya", "Ana", "José",
    "Jack", "Harry", "Catherine", "Natalie", "Adam", "Ian", "Kevin", "Lisa", "Karen", "Nicola", "Philip",
    "Ruth", "Jane", "Julie", "Stuart", "Graham", "Ibrahim", "Fatima", "Omar", "Wei", "Mei", "Arjun", "Ahmed",
    "Amanda", "Joanna", "Stephanie", "Caroline", "Eleanor", "Isabel", "Lewis", "Luke", "Ryan", "Scott",
    "Patrick", "Sean", "Niamh", "Aoife", "Ciarán", "Siobhán", "Chloé", "Zoë", "Renée", "Noémie", "François",
    "Søren", "Łukasz", "Björn", "Hiroshi", "Kwame", "Mateus", "Yusuf", "Giulia", "Marco", "Luca",
    "Francesca", "Alessandro", "Sofia", "Elena", "Javier", "Lucía", "Álvaro", "Carmen", "Pablo", "Marta",
    "Diego", "João", "Tiago", "Inês", "Beatriz", "Rafael", "Pierre", "Antoine", "Camille", "Hélène",
    "Céline", "Étienne", "Mathilde", "Clément", "Juliette", "Stefan", "Matthias", "Tobias", "Lukas",
    "Jürgen", "Sabine", "Katrin", "Lena", "Lars", "Anders", "Magnus", "Ingrid", "Astrid", "Henrik", "Nils",
    "Jørgen", "Åsa", "Krzysztof", "Agnieszka", "Katarzyna", "Małgorzata", "Paweł", "Tomasz", "Michał",
    "Zofia", "Jakub", "Ondřej", "Tereza", "Zoltán", "Ágnes", "Andrei", "Ioana", "Mihai", "Dmitri", "Natalia",
    "Olga", "Irina", "Oksana", "Anastasia", "Giorgos", "Eleni", "Dimitris", "Nikos", "Mehmet", "Ayşe", "Emre",
    "Elif", "Zeynep", "Özlem", "Murat", "Layla", "Karim", "Nour", "Samir", "Rania", "Hassan", "Amira",
    "Khalid", "Yasmin", "Tariq", "Mariam", "Zainab", "Bilal", "Reza", "Shirin", "Arash", "Rahul", "Ananya",
    "Vikram", "Sunita", "Rohan", "Deepa", "Sanjay", "Meera", "Aditya", "Lakshmi", "Nikhil", "Pooja",
    "Harpreet", "Gurpreet", "Imran", "Ayesha", "Nadia", "Jing", "Xin", "Ming", "Hui", "Xiaoming", "Yuting",
    "Zhiwei", "Haoran", "Yuki", "Kenji", "Sakura", "Takeshi", "Naoko", "Satoshi", "Kōji", "Minho", "Jisoo",
    "Seoyeon", "Hyejin", "Linh", "Minh", "Thao", "Tuan", "Huong", "Chinedu", "Ngozi", "Oluwaseun",
    "Chiamaka", "Emeka", "Tunde", "Folake", "Kofi", "Ama", "Abena", "Kwabena", "Wanjiru", "Njeri", "Thabo",
    "Lerato", "Sipho", "Tendai", "Abebe", "Tigist", "Fatou", "Aminata", "Mamadou", "Yael", "Tamar", "Eitan",
    "Shira", "Mateo", "Valentina", "Camila", "Mariana", "Andrés", "Joaquín", "Ximena", "Gonzalo", "Raúl",
    "Iñaki", "Begoña", "Nuria", "Rocío", "Gonçalo", "Leonor", "Luís", "Fernanda", "Gabriela", "Rodrigo",
    "Conceição", "Théo", "Élodie", "Amélie", "Margaux", "Benoît", "Jérôme", "Guillaume", "Sébastien",
    "Aurélie", "Gaëlle", "Loïc", "Florian", "Wolfgang", "Dieter", "Ursula", "Birgit", "Annika", "Sander",
    "Joost", "Bram", "Maarten", "Femke", "Lotte", "Anouk", "Wouter", "Sigrid", "Solveig", "Ebba", "Linnéa",
    "Kjell", "Aino", "Jukka", "Päivi", "Mikko", "Jiří", "Dušan", "Jelena", "Milica", "Goran", "Gábor",
    "Réka", "Balázs", "Dragoș", "Chiara", "Matteo", "Lorenzo", "Giovanni", "Niccolò", "Alessia", "Federica",
    "Paolo", "Simona", "Gareth", "Rhys", "Bethan", "Cerys", "Dylan", "Owen", "Callum", "Ewan", "Fraser",
    "Angus", "Eilidh", "Ailsa", "Róisín", "Eoin", "Orla", "Cathal", "Imogen", "Harriet", "Florence", "Lydia",
    "Megan", "Abigail", "Amelia", "Isla", "Poppy", "Freya", "Ruby", "Daisy", "Phoebe", "Matilda", "Esther",
    "Naomi", "Miriam", "Judith", "Deborah", "Gillian", "Hazel", "Heather", "Holly", "Jasmine", "Kirsty",
    "Melanie", "Rosemary", "Valerie", "Yvonne", "Alan", "Brian", "Colin", "Craig", "Adrian", "Douglas",
    "Duncan", "Gordon", "Keith", "Neil", "Nigel", "Roger", "Timothy", "Trevor", "Vincent", "Arthur",
    "Frederick", "Hugo", "Isaac", "Jacob", "Dominic", "Leo", "Nathan", "Noah", "Oscar", "Toby", "Tristan",
    "Rupert", "Felix", "Jasper", "Kieran",
)
FAMILY_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Patel", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green",
    "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Khan", "Singh", "Turner", "Hill",
    "Moore", "Cooper", "Ward", "Morris", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Nguyen", "Chen",
    "Kim", "Murphy", "Kelly", "O'Brien", "García", "Müller", "Young", "Mitchell", "Phillips", "Parker",
    "Bennett", "Price", "Griffiths", "Cook", "Bailey", "Richardson", "Shaw", "Chapman", "Ellis", "Collins",
    "Ahmed", "Hussain", "Shah", "Sharma", "Kaur", "Wang", "Li", "Zhang", "Martínez", "Rossi", "Kowalski",
    "Dubois", "Okafor", "Haddad", "Yamamoto", "van der Berg", "de Vries", "Ødegaard", "Novák", "Schäfer",
    "MacLeod", "Fernández", "Lindqvist", "Brennan", "Costa", "Åkesson", "Lefèvre", "Marshall", "Webb",
    "Rogers", "Gray", "Walsh", "Byrne", "Ryan", "Doyle", "O'Connor", "O'Sullivan", "O'Neill", "O'Reilly",
    "McCarthy", "Kennedy", "Gallagher", "Quinn", "Campbell", "Stewart", "Anderson", "Murray", "Reid", "Ross",
    "Fraser", "Sinclair", "Hamilton", "Lloyd", "Jenkins", "Powell", "Rees", "Pritchard", "Bowen", "Foster",
    "Palmer", "Fisher", "Hunt", "Holmes", "Barker", "Mills", "Knight", "Butler", "Russell", "Fox", "Stone",
    "Dixon", "Hayes", "Lawrence", "Wells", "Spencer", "Simpson", "Gibson", "Pearson", "Atkinson", "Fletcher",
    "Iqbal", "Rahman", "Chowdhury", "Begum", "Malik", "Qureshi", "Siddiqui", "Gupta", "Kumar", "Mehta",
    "Desai", "Joshi", "Reddy", "Iyer", "Nair", "Kapoor", "Banerjee", "Mukherjee", "D'Souza", "Fernando",
    "Perera", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Lin", "Wong", "Chan", "Lam", "Cheung",
    "Ng", "Tan", "Lim", "Goh", "Park", "Lee", "Choi", "Kang", "Tran", "Pham", "Hoang", "Sato", "Suzuki",
    "Takahashi", "Tanaka", "Watanabe", "Nakamura", "Kobayashi", "Saitō", "López", "González", "Rodríguez",
    "Sánchez", "Pérez", "Gómez", "Díaz", "Hernández", "Jiménez", "Ruiz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Navarro", "Torres", "Ramos", "Iglesias", "Castillo", "Ortega", "da Silva", "dos Santos",
    "Pereira", "Ferreira", "Oliveira", "Sousa", "Rodrigues", "Gonçalves", "Carvalho", "Araújo", "Ribeiro",
    "Bernard", "Petit", "Durand", "Moreau", "Laurent", "Michel", "Fontaine", "Rousseau", "Chevalier",
    "Mercier", "Girard", "Lambert", "Dupont", "Le Roux", "Rivière", "Hébert", "Côté", "Tremblay",
    "Bianchi", "Romano", "Colombo", "Ricci", "Greco", "Bruno", "Conti", "De Luca", "Esposito", "Mancini",
    "Moretti", "Ferrari", "Caruso", "D'Angelo", "Di Stefano", "Schmidt", "Schneider", "Fischer", "Weber",
    "Meyer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Zimmermann", "Krüger", "Hartmann", "Lange", "Weiß", "König", "Huber", "von Arnim", "de Jong", "Jansen",
    "de Boer", "Bakker", "Visser", "Smit", "Meijer", "van Dijk", "Mulder", "Dekker", "van den Broek",
    "Janssens", "Peeters", "Hansen", "Larsen", "Andersen", "Pedersen", "Nielsen", "Jensen", "Sørensen",
    "Møller", "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Svensson", "Bergström",
    "Sjöberg", "Lindgren", "Virtanen", "Korhonen", "Mäkinen", "Nowak", "Wiśniewski", "Wójcik",
    "Lewandowski", "Zieliński", "Woźniak", "Dąbrowski", "Mazur", "Dvořák", "Svoboda", "Černý", "Procházka",
    "Kučera", "Horváth", "Nagy", "Szabó", "Kovács", "Popescu", "Ionescu", "Petrović", "Jovanović",
    "Kovačević", "Ivanov", "Petrov", "Smirnov", "Volkov", "Shevchenko", "Kovalenko", "Melnyk",
    "Papadopoulos", "Georgiou", "Pappas", "Yilmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan",
    "Doğan", "Khoury", "Mansour", "Nasser", "Saleh", "Aziz", "Abdullah", "el-Amin", "al-Rashid", "Darwish",
    "Hosseini", "Ahmadi", "Karimi", "Rezaei", "Okonkwo", "Adeyemi", "Nwosu", "Eze", "Mensah", "Owusu",
    "Boateng", "Asante", "Osei", "Kamau", "Mwangi", "Otieno", "Dlamini", "Nkosi", "Ndlovu", "Moyo", "Banda",
    "Diallo", "Traoré", "Diop", "N'Diaye", "Keïta", "Tesfaye", "Bekele", "Cohen", "Levi", "Friedman", "Katz",
    "Goldberg", "Shapiro", "Mizrahi", "Gutiérrez", "Ramírez", "Flores", "Rivera", "Morales", "Reyes", "Cruz",
    "Mendoza", "Vargas", "Rojas", "Quispe", "Fitzgerald", "Buchanan", "McKenzie", "Sutherland", "Drummond",
    "Pryce", "Vaughan", "Llewellyn", "Ashworth", "Whitfield", "Cartwright", "Pemberton", "Blackwood",
    "Thornton", "Hargreaves", "Kershaw", "Ainsworth", "Fairbairn", "Penhaligon", "Treloar",
)


def _zipf_cumulative(count: int, offset: int) -> tuple[float, ...]:
    return tuple(accumulate(1 / (rank + offset) for rank in range(1, count + 1)))


_FIRST_WEIGHTS = _zipf_cumulative(len(FIRST_NAMES), 20)
_FAMILY_WEIGHTS = _zipf_cumulative(len(FAMILY_NAMES), 40)

_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE"})
_NICKNAMER = NickNamer()


def ascii_fold(text: str) -> str:
    """The spelling a keyboard without accents produces: José García -> Jose Garcia."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_accents(text: str) -> bool:
    return ascii_fold(text) != text


@cache
def nicknames_of(given: str) -> tuple[str, ...]:
    """Everyday short forms of a given name, capitalised, most common (shortest) first."""
    found = _NICKNAMER.nicknames_of(given.lower())
    return tuple(sorted((n.capitalize() for n in found if len(n) >= 3), key=lambda n: (len(n), n)))


def draw_name(rng: random.Random) -> tuple[str, str]:
    """A (given, family) name: common names often, rare ones seldom."""
    given = rng.choices(FIRST_NAMES, cum_weights=_FIRST_WEIGHTS)[0]
    return given, rng.choices(FAMILY_NAMES, cum_weights=_FAMILY_WEIGHTS)[0]


def slug(text: str) -> str:
    """A lower-case ASCII token for addresses and profile URLs: "van der Berg" -> "vanderberg"."""
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


def display_variant(rng: random.Random, given: str, family: str) -> str | None:
    """How a mail client or calendar might show this person's name; None for no name at all."""
    roll = rng.random()
    if roll < 0.55:
        return f"{given} {family}"
    if roll < 0.65:
        return f"{family}, {given}"
    if roll < 0.72:
        return f"{given} {family}".upper()
    if roll < 0.79:
        return f"{given} {family}".lower()
    if roll < 0.87:
        return given
    if roll < 0.93 and has_accents(given + family):
        return ascii_fold(f"{given} {family}")
    return None
