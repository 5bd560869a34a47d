"""The posting check: may this photo go on the website, social media or to the press?"""
