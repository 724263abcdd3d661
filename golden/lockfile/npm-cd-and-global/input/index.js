require('koa')
