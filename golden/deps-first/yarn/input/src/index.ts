import Koa from "koa";
