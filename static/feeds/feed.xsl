<?xml version="1.0" encoding="utf-8"?>
<!--
  The archive's Atom and RSS feeds as a page a browser can read. The feed
  names this file in an <?xml-stylesheet?>; feed readers ignore it.
  The result is styled by the site's own CSS (the page's content policy allows
  same-origin styles only, so nothing here is inline).
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:xhtml="http://www.w3.org/1999/xhtml"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom xhtml dc">
  <xsl:output method="html" encoding="utf-8" indent="yes"
    doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="rss" select="boolean(rss)"/>
    <xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
    <xsl:variable name="about" select="atom:feed/atom:subtitle | rss/channel/description"/>
    <xsl:variable name="self" select="atom:feed/atom:link[@rel='self']/@href | rss/channel/atom:link[@rel='self']/@href"/>
    <xsl:variable name="site" select="atom:feed/atom:link[@rel='alternate']/@href | rss/channel/link"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <meta name="robots" content="noindex, follow"/>
        <xsl:choose>
          <xsl:when test="$rss">
            <title><xsl:value-of select="$title" disable-output-escaping="yes"/> (RSS feed)</title>
          </xsl:when>
          <xsl:otherwise>
            <title><xsl:value-of select="$title"/> (Atom feed)</title>
          </xsl:otherwise>
        </xsl:choose>
        <link rel="stylesheet" href="/static/css/site.css"/>
        <link rel="stylesheet" href="/static/feeds/feed.css"/>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="site-name" href="/">The Wandering Earth <span class="site-name__tail">Archive</span></a>
          </div>
        </header>
        <main id="main" tabindex="-1">
          <div class="wrap">
            <header class="page-header">
              <p class="eyebrow">
                <xsl:if test="$rss">RSS 2.0 feed</xsl:if>
                <xsl:if test="not($rss)">Atom feed</xsl:if>
              </p>
              <!-- RSS escapes its titles and descriptions (feeds.py): as HTML
                   they are text again. -->
              <xsl:choose>
                <xsl:when test="$rss">
                  <h1><xsl:value-of select="$title" disable-output-escaping="yes"/></h1>
                  <p class="lede"><xsl:value-of select="$about" disable-output-escaping="yes"/></p>
                </xsl:when>
                <xsl:otherwise>
                  <h1><xsl:value-of select="$title"/></h1>
                  <p class="lede"><xsl:value-of select="$about"/></p>
                </xsl:otherwise>
              </xsl:choose>
            </header>
            <section class="feed-about" aria-labelledby="about-heading">
              <h2 id="about-heading">This page is a feed</h2>
              <p>A feed reader follows it and shows what the archive adds. To subscribe, copy this address into your reader:</p>
              <p class="feed-about__address"><code><xsl:value-of select="$self"/></code></p>
              <p>
                <xsl:if test="$rss">
                  The same feed in Atom:
                  <a href="{substring($self, 1, string-length($self) - 4)}"><xsl:value-of select="substring($self, 1, string-length($self) - 4)"/></a>.
                </xsl:if>
                <xsl:if test="not($rss)">
                  The same feed in RSS 2.0:
                  <a href="{$self}rss/"><xsl:value-of select="$self"/>rss/</a>.
                </xsl:if>
                Or read these pages on the site: <a href="{$site}"><xsl:value-of select="$site"/></a>.
              </p>
            </section>
            <section aria-labelledby="entries-heading">
              <h2 id="entries-heading">
                Newest first:
                <xsl:value-of select="count(atom:feed/atom:entry | rss/channel/item)"/>
                entries
              </h2>
              <ol class="cards feed-entries">
                <xsl:apply-templates select="atom:feed/atom:entry | rss/channel/item"/>
              </ol>
            </section>
          </div>
        </main>
        <footer class="site-footer">
          <div class="wrap site-footer__inner">
            <p>The Wandering Earth Archive gathers the films, the essays written about them and the Chinese film-policy events around them.</p>
            <nav aria-label="Footer">
              <ul>
                <li><a href="/films/">Films</a></li>
                <li><a href="/essays/">Essays</a></li>
                <li><a href="/timeline/">Timeline</a></li>
                <li><a href="/tags/">Tags</a></li>
                <li><a href="/data/">Data and API</a></li>
              </ul>
            </nav>
          </div>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <article class="card feed-entry">
        <h3 class="card__title"><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
        <xsl:choose>
          <xsl:when test="atom:content/xhtml:div/xhtml:p">
            <xsl:apply-templates select="atom:content/xhtml:div/xhtml:p"/>
          </xsl:when>
          <xsl:otherwise>
            <p class="card__summary"><xsl:value-of select="atom:summary"/></p>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:call-template name="categories">
          <xsl:with-param name="terms" select="atom:category/@term"/>
        </xsl:call-template>
      </article>
    </li>
  </xsl:template>

  <!-- The entry's paragraphs: its summary, then its dates. -->
  <xsl:template match="xhtml:p">
    <p>
      <xsl:attribute name="class">
        <xsl:choose>
          <xsl:when test="position() = last()">card__meta feed-entry__dates</xsl:when>
          <xsl:otherwise>card__summary</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:apply-templates select="node()"/>
    </p>
  </xsl:template>

  <xsl:template match="xhtml:span[@lang]">
    <span lang="{@lang}"><xsl:value-of select="."/></span>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <article class="card feed-entry">
        <!-- The title and the description are HTML the archive escaped
             itself: every word an editor typed is text in them. -->
        <h3 class="card__title"><a href="{link}"><xsl:value-of select="title" disable-output-escaping="yes"/></a></h3>
        <div class="feed-entry__text"><xsl:value-of select="description" disable-output-escaping="yes"/></div>
        <xsl:call-template name="categories">
          <xsl:with-param name="terms" select="category"/>
        </xsl:call-template>
      </article>
    </li>
  </xsl:template>

  <xsl:template name="categories">
    <xsl:param name="terms"/>
    <xsl:if test="$terms">
      <p class="feed-entry__tags">
        Tags:
        <xsl:for-each select="$terms">
          <xsl:value-of select="."/>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
      </p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
