"""M-IFEval's 33 Japanese types (``ja:``): IFEval's set in Japanese (lengths in characters, ・ bullets, 『』
titles, 《》 highlights, 「」 quotes) plus scripts (hiragana or katakana only, none of either, kanji counts,
furigana, numbers in kanji), sentence endings (です/ます, nominal endings) and no 、 or 。. Wordings are
M-IFEval's (instructions/ja_instructions.py).
"""

from __future__ import annotations

import collections
import re
import unicodedata

from crabplug_mifeval import shared
from crabplug_mifeval.catalog import compare, mtype
from crabplug_mifeval.text import japanese_sentence_count, japanese_tokens, japanese_words

L = "ja"
_QUOTES = (re.compile(r"「.*?」"), re.compile(r"『.*?』"))


def number_sentences(response: str, *, num_sentences: int, relation: str) -> bool:
    return compare(L, japanese_sentence_count(response), relation, num_sentences)


def number_letters(response: str, *, num_letters: int, relation: str) -> bool:
    return compare(L, len(response), relation, num_letters)


def bullets(response: str, *, num_bullets: int) -> bool:
    return len(re.findall(r"^\s*・[^\・].*$", response, flags=re.MULTILINE)) == num_bullets


def numbered(response: str, *, num_items: int) -> bool:
    return len(re.findall(r"^\s*\d+\.\s.*$", response, flags=re.MULTILINE)) == num_items


def highlights(response: str, *, num_highlights: int) -> bool:
    return sum(1 for h in re.findall(r"《[^\n《》]*》", response) if h.strip("《》").strip()) >= num_highlights


def sections(response: str, *, section_spliter: str, num_sections: int) -> bool:
    pattern = r"\s?" + r"第[\d\uFF10-\uFF19]+" + section_spliter.strip() + r"\s?"
    return len(re.split(pattern, response)) - 1 >= num_sections


def postscript(response: str, *, postscript_marker: str) -> bool:
    marker = postscript_marker.strip()
    fixed = {"P.P.S": r"\s*p\.\s?p\.\s?s.*$", "P.S.": r"\s*p\.\s?s\..*$"}
    pattern = fixed.get(marker, r"\s*" + re.escape(marker) + ".*$")
    return bool(re.findall(pattern, response, flags=re.IGNORECASE | re.MULTILINE))


def keywords(response: str, *, keywords: list[str]) -> bool:
    words = japanese_words(response)
    return all(k in words for k in keywords)


def frequency(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    return compare(L, collections.Counter(japanese_words(response))[keyword.strip()], relation, frequency)


def forbidden(response: str, *, forbidden_words: list[str]) -> bool:
    words = japanese_words(response)
    return not any(w in words for w in forbidden_words)


def first_word(response: str, *, num_paragraphs: int, nth_paragraph: int, first_word: str) -> bool:
    count, paragraph = shared.first_paragraph_split(response, nth_paragraph)
    if paragraph is None:
        return False
    expected = first_word.lower()
    return count == num_paragraphs and paragraph.lstrip("「").lstrip("『")[: len(expected)] == expected


def repeat_prompt(response: str, *, prompt_to_repeat: str) -> bool:
    return response.strip().startswith(prompt_to_repeat.strip())


def end_checker(response: str, *, end_phrase: str) -> bool:
    return response.strip().strip("」』").endswith(end_phrase.strip().strip("」』"))


def title(response: str) -> bool:
    return any(t.lstrip("『").rstrip("』").strip() for t in re.findall(r"『[^\n]+』", response))


def letter_frequency(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    """The hiragana ``letter`` and its katakana twin together."""
    if len(letter) != 1 or not "ぁ" <= letter <= "ん":
        raise ValueError(f"letter must be one hiragana, got {letter!r}")  # M-IFEval draws a random one
    counts = collections.Counter(response)
    return compare(L, counts[letter] + counts[chr(ord(letter) + 96)], let_relation, let_frequency)


def no_period(response: str) -> bool:
    return "。" not in response


def no_comma(response: str) -> bool:
    return "、" not in response


def quotation(response: str) -> bool:
    value = response.strip()
    return len(value) > 1 and value[0] == "「" and value[-1] == "」"


def furigana(response: str) -> bool:
    """Every run of kanji is followed by its reading in hiragana inside full-width parentheses."""
    runs = len(re.findall(r"[\u4e00-\u9faf]+", response))
    return runs == len(re.findall(r"[\u4e00-\u9faf]+（[ぁ-ん]+）", response))


def kanji(response: str, *, kanji_limit: int, relation: str) -> bool:
    return compare(L, len(re.findall(r"[\u4e00-\u9faf]", response)), relation, kanji_limit)


def no_hiragana(response: str) -> bool:
    return not any("ぁ" <= c <= "ゖ" for c in response)


def _not_letter(char: str) -> bool:
    return not unicodedata.category(char).startswith("L")


def hiragana_only(response: str) -> bool:
    return all("ぁ" <= c <= "ん" or c == "ー" or _not_letter(c) for c in response)


def no_katakana(response: str) -> bool:
    return not any("ァ" <= c <= "ヺ" or "ｦ" <= c <= "ﾟ" for c in response)


def katakana_only(response: str) -> bool:
    return all("ァ" <= c <= "ン" or c in "ー・" or "ｦ" <= c <= "ﾟ" or _not_letter(c) for c in response)


def _unquoted(response: str) -> str:
    for quote in _QUOTES:
        response = quote.sub("", response)
    return response


def unified_end(response: str, *, ending: str) -> bool:
    """Every sentence outside 「」 and 『』 quotes ends with ``ending``."""
    return all(not s or s.endswith(ending) for s in re.split(r"[。！？]", _unquoted(response)))


def nominal_ending(response: str, *, count: int) -> bool:
    """At least ``count`` sentences end on a noun (体言止め): a noun right before 。, ！ or ？."""
    tokens = japanese_tokens(_unquoted(response))
    found = sum(
        1 for i in range(1, len(tokens)) if tokens[i][0] in "。！？" and tokens[i - 1][1].startswith("名詞")
    )
    return found >= count


def kansuuji(response: str) -> bool:
    return re.search(r"\d", response) is None


_REL = {"relation": "以上"}
TYPES = [
    mtype(L, "keywords:existence", keywords, "応答に次のキーワード {keywords} を含めてください。",
          example={"keywords": ["猫", "本"]}),
    mtype(L, "keywords:frequency", frequency, "応答の中で、{keyword} という単語を{frequency}回{relation}出現させて"
          "ください。", example={"keyword": "猫", "frequency": 2, **_REL}),
    mtype(L, "keywords:forbidden_words", forbidden, "応答に {forbidden_words} という単語を含めないでください。",
          example={"forbidden_words": ["猫"]}),
    mtype(L, "keywords:letter_frequency", letter_frequency, "応答には、文字「{letter}」を{let_frequency}回"
          "{let_relation}出現させてください。", example={"letter": "し", "let_frequency": 5, "let_relation": "以上"}),
    mtype(L, "language:response_language", shared.response_language, "あなたは言語「{language}」を用いて応答して"
          "ください。他の言語は許可されません。", example={"language": "fr"}),
    mtype(L, "length_constraints:number_sentences", number_sentences, "応答は{num_sentences}文{relation}の文章で"
          "構成させてください。", example={"num_sentences": 3, **_REL}),
    mtype(L, "length_constraints:number_paragraphs", shared.number_paragraphs, "応答は{num_paragraphs}個の段落に"
          "分かれた文章で送ってください。それぞれの段落をマークダウンの区切り記号: *** で区切ってください。",
          example={"num_paragraphs": 3}),
    mtype(L, "length_constraints:number_letters", number_letters, "{num_letters}文字{relation}で答えてください。",
          example={"num_letters": 300, **_REL}),
    mtype(L, "length_constraints:nth_paragraph_first_word", first_word, "{num_paragraphs}個の段落に分けて応答を"
          "書いてください。 Pythonだと'\\n\\n'で表されるように、段落はそれぞれ2つの改行で区切ってください。 "
          "{nth_paragraph}段落目は「{first_word} 」という単語で書き始めてください。",
          example={"num_paragraphs": 2, "nth_paragraph": 1, "first_word": "猫"}),
    mtype(L, "detectable_content:number_placeholders", shared.number_placeholders, "応答には少なくとも "
          "{num_placeholders} 個のプレースホルダーを含めてください。プレースホルダーは [名前] 、[場所]のように角括弧"
          "で表されます。", example={"num_placeholders": 2}),
    mtype(L, "detectable_content:postscript", postscript, "応答の最後に、{postscript_marker}で始まる追伸を追加して"
          "ください。", example={"postscript_marker": "追伸"}),
    mtype(L, "detectable_format:number_bullet_lists", bullets, "応答はちょうど {num_bullets} 個の箇条書きで構成して"
          "ください。 以下のような箇条書きの形を参考にしてください:\n・一つめの内容\n・二つめの内容",
          example={"num_bullets": 3}),
    mtype(L, "detectable_format:number_numbered_lists", numbered, "応答はちょうど {num_items} 個の番号付きリストで"
          "構成してください。 以下のような番号付きリストの形を参考にしてください:\n1. 一つめの内容\n2. 二つめの内容",
          example={"num_items": 3}),
    mtype(L, "detectable_format:constrained_response",
          shared.constrained_response(("はい、そうです。", "いいえ、違います。", "どちらとも言えません。")),
          "次の選択肢のいずれかで回答してください: "
          "('はい、そうです。', 'いいえ、違います。', 'どちらとも言えません。')"),
    mtype(L, "detectable_format:number_highlighted_sections", highlights, "例えば《強調されたセクション》のように、"
          "回答の中で少なくとも{num_highlights}つのセクションを《》の記号を用いて強調してください。",
          example={"num_highlights": 2}),
    mtype(L, "detectable_format:multiple_sections", sections, "あなたは{num_sections}つのセクションで文章を構成させて"
          "応答してください。各セクションの始まりは次のように数字と{section_spliter}から書き始めてください。例:\n"
          "第1{section_spliter}\n[セクション1の内容]\n第2{section_spliter}\n[セクション2の内容]",
          example={"section_spliter": "章", "num_sections": 3}),
    mtype(L, "detectable_format:json_format", shared.json_format, "マークダウンのバッククォート（```）などを使用して"
          "、出力全体をJSON形式で囲んでください。"),
    mtype(L, "detectable_format:title", title, "例えば『喜びの詩』のように、応答に二重鉤括弧で囲まれたタイトルを"
          "つけてください。"),
    mtype(L, "combination:two_responses", shared.two_responses, "2種類の異なる答え方をしてください。回答のみを出力"
          "し、それぞれの回答はアスタリスク6個（******）で区切ってください。"),
    mtype(L, "combination:repeat_prompt", repeat_prompt, "最初にリクエストを一言一句変えずに繰り返し、その後に答え"
          "を述べてください（1. 繰り返す前に言葉や文字を追加しないこと; 2. 繰り返すべきリクエストにはこの文を含め"
          "ないこと）", example={"prompt_to_repeat": "あなたの町について説明してください。"}),
    mtype(L, "startend:end_checker", end_checker, "応答の最後に次のフレーズをそのまま出力してください: {end_phrase}。"
          "このフレーズの後に他の言葉を続けてはいけません。", example={"end_phrase": "他に何かございますか？"}),
    mtype(L, "startend:sentence_unified_end", unified_end, "応答において、全ての文末が「{ending}」で統一された自然な"
          "文章にしてください。", example={"ending": "です"}),
    mtype(L, "detectable_format:nominal_ending", nominal_ending, "応答の中で体言止めを{count}回は使用してください。",
          example={"count": 2}),
    mtype(L, "letters:furigana", furigana, "全ての漢字にふりがなをつけてください。ふりがなは全角の括弧（）の中に"
          "書いてください。"),
    mtype(L, "letters:kansuuji", kansuuji, "数字を全て漢数字で表記してください。"),
    mtype(L, "letters:no_katakana", no_katakana, "カタカナを一文字も使わないで答えてください。"),
    mtype(L, "letters:katakana_only", katakana_only, "カタカナだけを用いて答えてください。"),
    mtype(L, "letters:no_hiragana", no_hiragana, "ひらがなを一文字も使わないで答えてください。"),
    mtype(L, "letters:hiragana_only", hiragana_only, "ひらがなだけを用いて答えてください。"),
    mtype(L, "letters:kanji", kanji, "{kanji_limit}文字{relation}漢字を用いて、答えてください。",
          example={"kanji_limit": 30, **_REL}),
    mtype(L, "punctuation:no_comma", no_comma, "応答全体で読点を使用しないでください。"),
    mtype(L, "punctuation:no_period", no_period, "応答全体で句点を使用しないでください。"),
    mtype(L, "startend:quotation", quotation, "応答全体を鉤括弧で囲んでください。"),
]  # fmt: skip
