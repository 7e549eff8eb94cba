"""Which writing system a name is written in, as an ISO 15924 code.

The lists give names in their own script (UN ``NAME_ORIGINAL_SCRIPT``, OFSI "Name
Non-Latin Script", casslab ``name.native``) without saying reliably which script it is
(OFSI's own "Non-Latin Script Type" column reads "Cryillic" or "Russian" at times), so
parsers detect it from the characters: the Unicode character name's first word gives the
script (Unicode Standard Annex #24); Han text is told apart as simplified (``Hans``) or
traditional (``Hant``) by the characters that exist in only one of the two forms, and
is ``Hani`` when it holds none of them (e.g. 海康威视 vs 海康威視: 视/視 decides).
Codes: https://www.unicode.org/iso15924/iso15924-codes.html
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

#: First word of a Unicode character name -> ISO 15924 code.
_BY_NAME: dict[str, str] = {
    "LATIN": "Latn", "CYRILLIC": "Cyrl", "ARABIC": "Arab", "GREEK": "Grek", "HEBREW": "Hebr",
    "GEORGIAN": "Geor", "ARMENIAN": "Armn", "THAI": "Thai", "DEVANAGARI": "Deva", "MYANMAR": "Mymr",
    "HANGUL": "Hang", "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "CJK": "Hani", "BENGALI": "Beng",
    "TAMIL": "Taml", "ETHIOPIC": "Ethi", "KHMER": "Khmr", "LAO": "Laoo", "SYRIAC": "Syrc", "THAANA": "Thaa",
}  # fmt: skip

# Common characters that differ between simplified and traditional Chinese (pairs from the
# 1986 General List of Simplified Chinese Characters, picked for frequency in company and
# place names: 华/華 国/國 电/電 技术/技術 ...). Not exhaustive; absence means "Hani".
_SIMPLIFIED = set(
    "华国电术学业东广汇发龙门网络军机设备计进兴贸实开关达联云导体车气经长连动产运这时会对应个为区医药环资讯视数据银厂压号总"
    "无线声热钢铁铝储测验检维结构轮飞鸟协码图书报纸际卫级织纺丝苏鲁辽湾宁庆厦济汉阳锡湖钱广东贝负责员义乐亚仪传伟优"
    "兰关兴农冲决况净凤刘则刚创剧办务动劳势勋化单卖卢历压厅县参双变叶号台叶后启吴园围圆圣场坏块坚坛坝报墙壮声处备复"
    "头夹夺奋妇娱孙宝实宪宫宾对寻导尔层岁岛峡巩币帅师带帮广庄庆库应庙废开异张弹强录彻征径惊惧战户扩扫扬护报担拥择拨"
    "挂挥损换据掷摄摆敌敛斋断时显晋晓晕暂术机杀杂权条来杨极构枪柜标栈树样桥档梦检椭楼横欢毕毁汇汤沟没沪泪泽洁浅浆测"
    "济浑浓涛涡润涨渊渐渔湾湿温满滚滞滤滨灭灯灵炉点炼烁烂烛烟烦热焕爱爷牵状独狮猎献环现玛珍琼瓯电画畅疗监盖盘矿码砖"
    "础硕确礼祸离种积称稳穷窃竞笔笋筑签简粮紧纠红约级纪纬纯纳纵纷纸纹纺线练组绅细织终绍经绑结绕绘给络绝统继绩绪续维"
    "综绿缅编缓缘网罗罚罢职联聪肃肠肤肿胁胜胶脉脑脚脱脸舰舱艺节芦苍苏苹范茎荐荣药莱获萝营萧蓝虑虾虽蚀补表袭装规视览觉"
    "订认讨让训议讯记讲许论设访证评识诉词译试诗诚话询该详语误说请诸读课谁调谈谊谋谐谢谨谱贝负贡财责败货质购贮贯贵贷"
    "贸费贺资赏赔赛赞赵赶趋跃践踪车轨轩转轮软轰轴轻载较辅辆辉输辖辞边辽达迁过迈运还这进远违连迟适选递逻遗邓邮邻郑酝"
    "释里钟钢钥钱钻铁铃铜铝铭铸链销锁锅锋错锡锦键镇镜长门闪闭问闲间闻阀阁阅队阳阴阵阶际陆陈险随隐难雾静顶项顺须顾顿"
    "预领频题颜额风飞饭饮馆马驱驶驾验骑骨鱼鲜鸟鸡鸣鹏麦黄齐龙"
)
_TRADITIONAL = set(
    "華國電術學業東廣匯發龍門網絡軍機設備計進興貿實開關達聯雲導體車氣經長連動產運這時會對應個為區醫藥環資訊視數據銀廠壓號總"
    "無線聲熱鋼鐵鋁儲測驗檢維結構輪飛鳥協碼圖書報紙際衛級織紡絲蘇魯遼灣寧慶廈濟漢陽錫湖錢貝負責員義樂亞儀傳偉優蘭農衝決"
    "況淨鳳劉則剛創劇辦務勞勢勳單賣盧歷廳縣參雙變葉後啟吳園圍圓聖場壞塊堅壇壩牆壯處複頭夾奪奮婦孫寶憲宮賓尋爾層歲島峽"
    "鞏幣帥師帶幫莊庫廟廢異張彈強錄徹徵徑驚懼戰戶擴掃揚護擔擁擇撥掛揮損換擲攝擺敵斂齋斷顯晉曉暈暫殺雜權條來楊極槍櫃標"
    "棧樹樣橋檔夢橢樓橫歡畢毀湯溝沒滬淚澤潔淺漿渾濃濤渦潤漲淵漸漁濕溫滿滾滯濾濱滅燈靈爐點煉爍爛燭煙煩煥愛爺牽狀獨獅"
    "獵獻現瑪瓊甌畫暢療監蓋盤礦磚礎碩確禮禍離種積稱穩窮竊競筆筍築簽簡糧緊糾紅約紀緯純納縱紛紋練組紳細終紹綁繞繪給絕統"
    "繼績緒續綜綠緬編緩緣羅罰罷職聰肅腸膚腫脅勝膠脈腦腳脫臉艦艙藝節蘆蒼蘋範莖薦榮萊獲蘿營蕭藍慮蝦雖蝕補表襲裝規覽覺訂"
    "認討讓訓議記講許論訪證評識訴詞譯試詩誠話詢該詳語誤說請諸讀課誰調談誼謀諧謝謹譜貢財敗貨質購貯貫貴貸費賀賞賠賽贊"
    "趙趕趨躍踐蹤軌軒轉軟轟軸輕載較輔輛輝輸轄辭邊遷過邁還遠違遲適選遞邏遺鄧郵鄰鄭醞釋裡鐘鑰鑽鈴銅銘鑄鏈銷鎖鍋鋒錯錦"
    "鍵鎮鏡閃閉問閒間聞閥閣閱隊陰陣階陸陳險隨隱難霧靜頂項順須顧頓預領頻題顏額風飯飲館馬驅駛駕騎骨魚鮮雞鳴鵬麥黃齊"
)
_SHARED = _SIMPLIFIED & _TRADITIONAL  # written alike in both forms (湖, 表, 骨 ...): decide nothing
_SIMPLIFIED -= _SHARED
_TRADITIONAL -= _SHARED


def script_of_char(ch: str) -> str | None:
    """ISO 15924 code of one letter, or None for digits, punctuation and unknown scripts."""
    if not ch.isalpha():
        return None
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return _BY_NAME.get(word)


@lru_cache(maxsize=65536)
def detect_script(text: str) -> str | None:
    """The dominant script of ``text`` (ISO 15924), ``None`` when it has no letters.

    Han is refined to ``Hans``/``Hant`` when decisive characters are present; Japanese
    kana anywhere makes it ``Jpan``; Hangul mixed with Han is ``Kore``.
    """
    if text.isascii():
        return "Latn" if any(ch.isalpha() for ch in text) else None
    counts = Counter(code for ch in text if (code := script_of_char(ch)) is not None)
    if not counts:
        return None
    if counts.get("Jpan"):
        return "Jpan"
    if counts.get("Hang") and counts.get("Hani"):
        return "Kore"
    code = counts.most_common(1)[0][0]
    if code == "Hani":
        simp = sum(ch in _SIMPLIFIED for ch in text)
        trad = sum(ch in _TRADITIONAL for ch in text)
        if simp > trad:
            return "Hans"
        if trad > simp:
            return "Hant"
    return code


def is_latin(text: str) -> bool:
    return detect_script(text) in (None, "Latn")


__all__ = ["detect_script", "is_latin", "script_of_char"]
